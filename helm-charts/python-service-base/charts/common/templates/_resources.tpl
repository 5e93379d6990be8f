{{/*
common.resources: a container's `resources`, failing the render when `requests.cpu`,
`requests.memory` or `limits.memory` is missing (the platform requires them).
Usage:
  resources:
    {{- include "common.resources" (dict "resources" .Values.resources "what" "the app container") | nindent 4 }}
*/}}
{{- define "common.resources" -}}
{{- $r := default (dict) .resources -}}
{{- $requests := default (dict) $r.requests -}}
{{- $limits := default (dict) $r.limits -}}
{{- if or (not $requests.cpu) (not $requests.memory) (not $limits.memory) -}}
{{- fail (printf "%s: resources.requests.cpu, resources.requests.memory and resources.limits.memory are required" (.what | default "container")) -}}
{{- end -}}
{{- toYaml $r -}}
{{- end -}}
