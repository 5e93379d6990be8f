{{/*
common.topologySpreadConstraints: spread a workload's pods over zones
(`topology.kubernetes.io/zone`) and, when `hostname` is true, over nodes.
Takes the labels dict (ctx, component) plus `config`:
  config.enabled            false renders nothing
  config.maxSkew            default 1
  config.whenUnsatisfiable  default ScheduleAnyway
  config.hostname           also spread over `kubernetes.io/hostname`
Usage:
  {{- with include "common.topologySpreadConstraints" (dict "ctx" $ "component" "server" "config" .Values.topologySpread) }}
  topologySpreadConstraints:
    {{- . | nindent 4 }}
  {{- end }}
*/}}
{{- define "common.topologySpreadConstraints" -}}
{{- $config := default (dict) .config -}}
{{- if $config.enabled -}}
{{- $selector := include "common.selectorLabels" . -}}
{{- $keys := list "topology.kubernetes.io/zone" -}}
{{- if $config.hostname -}}
{{- $keys = append $keys "kubernetes.io/hostname" -}}
{{- end -}}
{{- $constraints := list -}}
{{- range $keys -}}
{{- $constraints = append $constraints (dict "maxSkew" ($config.maxSkew | default 1 | int) "topologyKey" . "whenUnsatisfiable" ($config.whenUnsatisfiable | default "ScheduleAnyway") "labelSelector" (dict "matchLabels" ($selector | fromYaml))) -}}
{{- end -}}
{{- toYaml $constraints -}}
{{- end -}}
{{- end -}}
