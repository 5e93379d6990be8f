{{/*
common.externalSecret: an `external-secrets.io/v1` ExternalSecret that writes one Secret from the
platform's secret store.
Takes the labels dict plus:
  name    the object name (required)
  config  the values map:
    refreshInterval  default 1h
    secretStoreRef   {kind, name}; default ClusterSecretStore `aws-secrets-manager`
    targetName       the Secret to write; default `name`
    creationPolicy   default Owner
    deletionPolicy   default Retain
    data             map of Secret key -> {key, property, version} in the store
    extract          list of store keys whose JSON properties all become Secret keys
*/}}
{{- define "common.externalSecret" -}}
{{- $config := default (dict) .config -}}
{{- $store := default (dict) $config.secretStoreRef -}}
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  {{- include "common.metadata" (dict "ctx" .ctx "name" .name "component" .component) | nindent 2 }}
spec:
  refreshInterval: {{ $config.refreshInterval | default "1h" }}
  secretStoreRef:
    kind: {{ $store.kind | default "ClusterSecretStore" }}
    name: {{ $store.name | default "aws-secrets-manager" }}
  target:
    name: {{ $config.targetName | default .name }}
    creationPolicy: {{ $config.creationPolicy | default "Owner" }}
    deletionPolicy: {{ $config.deletionPolicy | default "Retain" }}
  {{- with $config.data }}
  data:
    {{- range $secretKey, $ref := . }}
    - secretKey: {{ $secretKey }}
      remoteRef:
        key: {{ $ref.key }}
        {{- with $ref.property }}
        property: {{ . }}
        {{- end }}
        {{- with $ref.version }}
        version: {{ . }}
        {{- end }}
    {{- end }}
  {{- end }}
  {{- with $config.extract }}
  dataFrom:
    {{- range . }}
    - extract:
        key: {{ . }}
    {{- end }}
  {{- end }}
{{- end -}}
