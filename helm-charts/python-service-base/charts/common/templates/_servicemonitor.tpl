{{/*
common.serviceMonitor: a `monitoring.coreos.com/v1` ServiceMonitor that scrapes the named port of
the Services carrying the selector labels (ctx, component) in the release namespace.
Takes the labels dict plus:
  name           the object name (required)
  port           the Service port *name* to scrape (default `metrics`)
  path           default `/metrics`
  interval       default `30s`
  scrapeTimeout  default `10s`
  labels         labels the platform Prometheus selects ServiceMonitors by, e.g.
                 `release: kube-prometheus-stack`
  metricRelabelings, relabelings  optional lists
*/}}
{{- define "common.serviceMonitor" -}}
{{- $ctx := .ctx -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  {{- include "common.metadata" (dict "ctx" $ctx "name" .name "component" .component "extra" .labels) | nindent 2 }}
spec:
  jobLabel: app.kubernetes.io/name
  namespaceSelector:
    matchNames:
      - {{ $ctx.Release.Namespace }}
  selector:
    matchLabels:
      {{- include "common.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: {{ .port | default "metrics" }}
      path: {{ .path | default "/metrics" }}
      interval: {{ .interval | default "30s" }}
      scrapeTimeout: {{ .scrapeTimeout | default "10s" }}
      {{- with .relabelings }}
      relabelings:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .metricRelabelings }}
      metricRelabelings:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}
