{{/*
Pieces shared by the Deployment, the workers and the CronJobs of this chart.
*/}}

{{/*
js-service-base.podSpecCommon: the pod-level settings every pod of the chart shares. Takes the
root context.
*/}}
{{- define "js-service-base.podSpecCommon" -}}
serviceAccountName: {{ include "common.serviceAccountName" . }}
automountServiceAccountToken: false
securityContext:
  {{- include "common.podSecurityContext" .Values.podSecurityContext | nindent 2 }}
{{- include "common.imagePullSecrets" . }}
{{- with .Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/*
js-service-base.envFrom: the ConfigMap and the ExternalSecret's Secret, as `envFrom` items.
*/}}
{{- define "js-service-base.envFrom" -}}
{{- $sources := list -}}
{{- if .Values.config -}}
{{- $sources = append $sources (dict "configMapRef" (dict "name" (include "common.fullname" .))) -}}
{{- end -}}
{{- if .Values.externalSecret.enabled -}}
{{- $sources = append $sources (dict "secretRef" (dict "name" (.Values.externalSecret.targetName | default (include "common.fullname" .)))) -}}
{{- end -}}
{{- if $sources -}}
{{- toYaml $sources -}}
{{- end -}}
{{- end -}}

{{/*
js-service-base.podAnnotations: a checksum of the ConfigMap (so a config change rolls the pods)
plus `.Values.podAnnotations`.
*/}}
{{- define "js-service-base.podAnnotations" -}}
{{- $annotations := dict -}}
{{- if .Values.config -}}
{{- $_ := set $annotations "checksum/config" (toJson .Values.config | sha256sum) -}}
{{- end -}}
{{- toYaml (merge $annotations (default (dict) .Values.podAnnotations)) -}}
{{- end -}}

{{/*
js-service-base.volumes: the writable /tmp plus `.Values.extraVolumes`.
*/}}
{{- define "js-service-base.volumes" -}}
{{ include "common.tmpVolume" .Values.tmpVolume }}
{{- with .Values.extraVolumes }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
js-service-base.volumeMounts: /tmp plus `.Values.extraVolumeMounts`.
*/}}
{{- define "js-service-base.volumeMounts" -}}
{{ include "common.tmpVolumeMount" . }}
{{- with .Values.extraVolumeMounts }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
js-service-base.pick: `.key` of `.from` when it has the key, else of `.defaults` (keeps false
and 0, which `default` would replace).
*/}}
{{- define "js-service-base.pick" -}}
{{- if hasKey .from .key -}}
{{- index .from .key | toYaml -}}
{{- else -}}
{{- index .defaults .key | toYaml -}}
{{- end -}}
{{- end -}}
