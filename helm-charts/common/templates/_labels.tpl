{{/*
Labels. The helpers take a dict:
  ctx        the root context (required)
  component  the `app.kubernetes.io/component` label (optional; part of the selector)
  extra      more labels (optional; the standard labels win on a clash)
*/}}

{{/*
common.selectorLabels: the immutable labels that select a workload's pods (name, instance and,
when given, component). Never the version or the chart.
*/}}
{{- define "common.selectorLabels" -}}
{{- $labels := dict "app.kubernetes.io/name" (include "common.name" .ctx) "app.kubernetes.io/instance" .ctx.Release.Name -}}
{{- with .component -}}
{{- $_ := set $labels "app.kubernetes.io/component" . -}}
{{- end -}}
{{- toYaml $labels -}}
{{- end -}}

{{/*
common.labels: the selector labels plus `helm.sh/chart`, `app.kubernetes.io/version` (the
chart's appVersion), `managed-by`, `part-of`, `.Values.commonLabels` and `extra`.
*/}}
{{- define "common.labels" -}}
{{- $ctx := .ctx -}}
{{- $labels := include "common.selectorLabels" . | fromYaml -}}
{{- $_ := set $labels "helm.sh/chart" (include "common.chart" $ctx) -}}
{{- $_ := set $labels "app.kubernetes.io/managed-by" $ctx.Release.Service -}}
{{- $_ := set $labels "app.kubernetes.io/part-of" (include "common.partOf" $ctx) -}}
{{- with $ctx.Chart.AppVersion -}}
{{- $_ := set $labels "app.kubernetes.io/version" (. | toString | replace "+" "_" | trunc 63 | trimSuffix "-") -}}
{{- end -}}
{{- $labels = merge $labels (default (dict) .extra) (default (dict) $ctx.Values.commonLabels) -}}
{{- toYaml $labels -}}
{{- end -}}

{{/*
common.metadata: `name`, `namespace` and `labels` of an object, indented by the caller.
Takes the labels dict plus `name` (required) and `annotations` (optional).
Usage:
  metadata:
    {{- include "common.metadata" (dict "ctx" $ "name" $name "component" "server") | nindent 2 }}
*/}}
{{- define "common.metadata" -}}
name: {{ .name }}
namespace: {{ .ctx.Release.Namespace }}
labels:
  {{- include "common.labels" . | nindent 2 }}
{{- with .annotations }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
