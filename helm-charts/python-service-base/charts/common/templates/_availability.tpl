{{/*
common.hpa: an `autoscaling/v2` HorizontalPodAutoscaler for a Deployment.
Takes the labels dict plus:
  name       the HPA's and the Deployment's name (required)
  config     minReplicas (default 2), maxReplicas (default 10),
             targetCPUUtilizationPercentage, targetMemoryUtilizationPercentage, behavior
*/}}
{{- define "common.hpa" -}}
{{- $config := default (dict) .config -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  {{- include "common.metadata" (dict "ctx" .ctx "name" .name "component" .component) | nindent 2 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ .name }}
  minReplicas: {{ $config.minReplicas | default 2 | int }}
  maxReplicas: {{ $config.maxReplicas | default 10 | int }}
  {{- if or $config.targetCPUUtilizationPercentage $config.targetMemoryUtilizationPercentage }}
  metrics:
    {{- with $config.targetCPUUtilizationPercentage }}
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ . | int }}
    {{- end }}
    {{- with $config.targetMemoryUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ . | int }}
    {{- end }}
  {{- end }}
  {{- with $config.behavior }}
  behavior:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}

{{/*
common.pdb: a `policy/v1` PodDisruptionBudget for the pods carrying the selector labels.
Takes the labels dict plus:
  name    the object name (required)
  config  minAvailable or maxUnavailable (default maxUnavailable: 1, which never blocks a node
          drain), unhealthyPodEvictionPolicy (default AlwaysAllow)
*/}}
{{- define "common.pdb" -}}
{{- $config := default (dict) .config -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  {{- include "common.metadata" (dict "ctx" .ctx "name" .name "component" .component) | nindent 2 }}
spec:
  {{- if hasKey $config "minAvailable" }}
  minAvailable: {{ $config.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $config.maxUnavailable | default 1 }}
  {{- end }}
  unhealthyPodEvictionPolicy: {{ $config.unhealthyPodEvictionPolicy | default "AlwaysAllow" }}
  selector:
    matchLabels:
      {{- include "common.selectorLabels" . | nindent 6 }}
{{- end -}}
