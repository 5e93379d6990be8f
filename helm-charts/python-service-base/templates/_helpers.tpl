{{/*
Pieces shared by the Deployment, the workers and the CronJobs of this chart.
*/}}

{{/*
python-service-base.podSpecCommon: the pod-level settings every pod of the chart shares. Takes a
dict: ctx (the root context) and gpu (true for the main Deployment: adds the GPU profile's
node selector and tolerations when `gpu.enabled`).
*/}}
{{- define "python-service-base.podSpecCommon" -}}
{{- $gpu := and .gpu .ctx.Values.gpu.enabled -}}
{{- with .ctx -}}
serviceAccountName: {{ include "common.serviceAccountName" . }}
automountServiceAccountToken: false
securityContext:
  {{- include "common.podSecurityContext" .Values.podSecurityContext | nindent 2 }}
{{- include "common.imagePullSecrets" . }}
{{- with .Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- $nodeSelector := deepCopy (default (dict) .Values.nodeSelector) -}}
{{- if $gpu -}}
{{- $nodeSelector = merge $nodeSelector (default (dict) .Values.gpu.nodeSelector) -}}
{{- end -}}
{{- with $nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- $tolerations := default (list) .Values.tolerations -}}
{{- if $gpu -}}
{{- $tolerations = concat $tolerations (default (list) .Values.gpu.tolerations) -}}
{{- end -}}
{{- with $tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
{{- end -}}

{{/*
python-service-base.resources: the app container's resources as YAML: `.Values.resources`, or
with the GPU profile `.Values.gpu.resources` plus `nvidia.com/gpu: <gpu.count>` in requests and
limits.
*/}}
{{- define "python-service-base.resources" -}}
{{- if .Values.gpu.enabled -}}
{{- $resources := deepCopy (default (dict) .Values.gpu.resources) -}}
{{- $requests := default (dict) $resources.requests -}}
{{- $limits := default (dict) $resources.limits -}}
{{- $_ := set $requests "nvidia.com/gpu" (.Values.gpu.count | default 1 | int) -}}
{{- $_ := set $limits "nvidia.com/gpu" (.Values.gpu.count | default 1 | int) -}}
{{- $_ := set $resources "requests" $requests -}}
{{- $_ := set $resources "limits" $limits -}}
{{- toYaml $resources -}}
{{- else -}}
{{- toYaml .Values.resources -}}
{{- end -}}
{{- end -}}

{{/*
python-service-base.envFrom: the ConfigMap and the ExternalSecret's Secret, as `envFrom` items.
*/}}
{{- define "python-service-base.envFrom" -}}
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
python-service-base.podAnnotations: a checksum of the ConfigMap (so a config change rolls the pods)
plus `.Values.podAnnotations`.
*/}}
{{- define "python-service-base.podAnnotations" -}}
{{- $annotations := dict -}}
{{- if .Values.config -}}
{{- $_ := set $annotations "checksum/config" (toJson .Values.config | sha256sum) -}}
{{- end -}}
{{- toYaml (merge $annotations (default (dict) .Values.podAnnotations)) -}}
{{- end -}}

{{/*
python-service-base.volumes: the writable /tmp plus `.Values.extraVolumes`.
*/}}
{{- define "python-service-base.volumes" -}}
{{ include "common.tmpVolume" .Values.tmpVolume }}
{{- with .Values.extraVolumes }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
python-service-base.volumeMounts: /tmp plus `.Values.extraVolumeMounts`.
*/}}
{{- define "python-service-base.volumeMounts" -}}
{{ include "common.tmpVolumeMount" . }}
{{- with .Values.extraVolumeMounts }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
python-service-base.pick: `.key` of `.from` when it has the key, else of `.defaults` (keeps false
and 0, which `default` would replace).
*/}}
{{- define "python-service-base.pick" -}}
{{- if hasKey .from .key -}}
{{- index .from .key | toYaml -}}
{{- else -}}
{{- index .defaults .key | toYaml -}}
{{- end -}}
{{- end -}}
