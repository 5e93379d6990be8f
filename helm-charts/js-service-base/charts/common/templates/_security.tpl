{{/*
Security contexts meeting the "restricted" Pod Security Standard. Each takes the values map of
overrides (may be empty); a key the overrides do not set gets the restricted default.
*/}}

{{/*
common.podSecurityContext: runAsNonRoot, seccompProfile RuntimeDefault.
Usage: include "common.podSecurityContext" .Values.podSecurityContext
*/}}
{{- define "common.podSecurityContext" -}}
{{- $sc := deepCopy (default (dict) .) -}}
{{- if not (hasKey $sc "runAsNonRoot") -}}
{{- $_ := set $sc "runAsNonRoot" true -}}
{{- end -}}
{{- if not (hasKey $sc "seccompProfile") -}}
{{- $_ := set $sc "seccompProfile" (dict "type" "RuntimeDefault") -}}
{{- end -}}
{{- toYaml $sc -}}
{{- end -}}

{{/*
common.containerSecurityContext: no privilege escalation, all capabilities dropped, read-only
root filesystem, runAsNonRoot, seccompProfile RuntimeDefault.
Usage: include "common.containerSecurityContext" .Values.securityContext
*/}}
{{- define "common.containerSecurityContext" -}}
{{- $sc := deepCopy (default (dict) .) -}}
{{- if not (hasKey $sc "allowPrivilegeEscalation") -}}
{{- $_ := set $sc "allowPrivilegeEscalation" false -}}
{{- end -}}
{{- if not (hasKey $sc "capabilities") -}}
{{- $_ := set $sc "capabilities" (dict "drop" (list "ALL")) -}}
{{- end -}}
{{- if not (hasKey $sc "readOnlyRootFilesystem") -}}
{{- $_ := set $sc "readOnlyRootFilesystem" true -}}
{{- end -}}
{{- if not (hasKey $sc "runAsNonRoot") -}}
{{- $_ := set $sc "runAsNonRoot" true -}}
{{- end -}}
{{- if not (hasKey $sc "seccompProfile") -}}
{{- $_ := set $sc "seccompProfile" (dict "type" "RuntimeDefault") -}}
{{- end -}}
{{- toYaml $sc -}}
{{- end -}}

{{/*
common.tmpVolume / common.tmpVolumeMount: the writable `/tmp` a read-only root filesystem needs:
an emptyDir with a sizeLimit (so it counts against, and is bounded by, ephemeral storage).
Usage: include "common.tmpVolume" .Values.tmpVolume   (keys: sizeLimit, medium)
*/}}
{{- define "common.tmpVolume" -}}
- name: tmp
  emptyDir:
    {{- with .medium }}
    medium: {{ . }}
    {{- end }}
    sizeLimit: {{ .sizeLimit | default "128Mi" }}
{{- end -}}

{{- define "common.tmpVolumeMount" -}}
- name: tmp
  mountPath: /tmp
{{- end -}}
