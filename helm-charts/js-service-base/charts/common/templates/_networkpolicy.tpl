{{/*
common.networkPolicy: a `networking.k8s.io/v1` NetworkPolicy governing the ingress traffic of the
pods carrying the selector labels (ctx, component; without a component: every pod of the
release). It allows traffic from every pod of the release namespace, from the monitoring
namespace to the metrics port, from the ALB to the ingress port, and the extra rules.
Takes the labels dict plus:
  name                 the object name (required)
  metricsPort          the pod port (name or number) Prometheus scrapes; none: no rule
  monitoringNamespace  the namespace of the platform Prometheus (default `monitoring`)
  ingressPort          the pod port (name or number) the ALB targets; none: no rule
  albSourceCidrs       the ALB's source CIDRs (its subnets); empty: any source on that port
  extraIngress         more `ingress` rules (optional list)
*/}}
{{- define "common.networkPolicy" -}}
{{- $ctx := .ctx -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  {{- include "common.metadata" (dict "ctx" $ctx "name" .name "component" .component) | nindent 2 }}
spec:
  podSelector:
    matchLabels:
      {{- include "common.selectorLabels" (dict "ctx" $ctx "component" .component) | nindent 6 }}
  policyTypes:
    - Ingress
  ingress:
    # Every pod of the namespace.
    - from:
        - podSelector: {}
    {{- with .metricsPort }}
    # The platform Prometheus, to the metrics port.
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ $.monitoringNamespace | default "monitoring" }}
      ports:
        - port: {{ . }}
          protocol: TCP
    {{- end }}
    {{- with .ingressPort }}
    # The ALB (target type ip), to the port its target group uses.
    - ports:
        - port: {{ . }}
          protocol: TCP
      {{- with $.albSourceCidrs }}
      from:
        {{- range . }}
        - ipBlock:
            cidr: {{ . }}
        {{- end }}
      {{- end }}
    {{- end }}
    {{- with .extraIngress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

