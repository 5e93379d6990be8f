{{/*
common.probe: the body of a liveness, readiness or startup probe from a values map:
  command              exec probe (list), or else
  path + port          httpGet probe (port: a name or number; scheme optional), or else
  port                 tcpSocket probe
  initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold, failureThreshold
Usage:
  livenessProbe:
    {{- include "common.probe" .Values.probes.liveness | nindent 4 }}
*/}}
{{- define "common.probe" -}}
{{- if .command -}}
exec:
  command:
    {{- toYaml .command | nindent 4 }}
{{- else if .path -}}
httpGet:
  path: {{ .path | quote }}
  port: {{ .port }}
  {{- with .scheme }}
  scheme: {{ . }}
  {{- end }}
{{- else -}}
tcpSocket:
  port: {{ .port }}
{{- end }}
{{- range $key := list "initialDelaySeconds" "periodSeconds" "timeoutSeconds" "successThreshold" "failureThreshold" }}
{{- if hasKey $ $key }}
{{ $key }}: {{ index $ $key | int }}
{{- end }}
{{- end }}
{{- end -}}
