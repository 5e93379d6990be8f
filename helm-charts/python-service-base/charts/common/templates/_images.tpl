{{/*
common.image: a full image reference `REGISTRY/REPOSITORY:TAG[@DIGEST]`.
Usage: include "common.image" (dict "ctx" $ "image" .Values.image)
  image.registry    default `.Values.global.imageRegistry` (the platform's ECR registry)
  image.repository  default the chart name (`common.name`)
  image.tag         default the chart's appVersion
  image.digest      optional `sha256:...`, appended after the tag
*/}}
{{- define "common.image" -}}
{{- $ctx := .ctx -}}
{{- $image := default (dict) .image -}}
{{- $global := default (dict) $ctx.Values.global -}}
{{- $registry := $image.registry | default $global.imageRegistry | default "" | toString | trimSuffix "/" -}}
{{- $repository := $image.repository | default (include "common.name" $ctx) | toString -}}
{{- $tag := $image.tag | default $ctx.Chart.AppVersion | default "" | toString -}}
{{- if $registry -}}
{{- $registry -}}/
{{- end -}}
{{- $repository -}}
{{- if $tag -}}
:{{ $tag }}
{{- end -}}
{{- with $image.digest -}}
@{{ . }}
{{- end -}}
{{- end -}}

{{/*
common.imagePullSecrets: the `imagePullSecrets` list from `.Values.imagePullSecrets` (names or
`{name: ...}` maps); empty when there are none. Takes the root context.
*/}}
{{- define "common.imagePullSecrets" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
{{- range . }}
{{- if kindIs "map" . }}
  - name: {{ .name }}
{{- else }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}
