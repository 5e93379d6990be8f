{{/*
Expand the name of the chart.
*/}}
{{- define "grafana.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name.
We truncate at 63 chars because some Kubernetes name fields are limited to this (by the DNS naming spec).
If the release name contains the chart name it is used as the full name.
*/}}
{{- define "grafana.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version as used by the chart label.
*/}}
{{- define "grafana.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels.
*/}}
{{- define "grafana.labels" -}}
helm.sh/chart: {{ include "grafana.chart" . }}
{{ include "grafana.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | trunc 63 | trimSuffix "-" | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: {{ .Values.partOf | quote }}
app.kubernetes.io/component: dashboards
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Selector labels of this chart's objects.
*/}}
{{- define "grafana.selectorLabels" -}}
app.kubernetes.io/name: {{ include "grafana.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Name of the ServiceAccount to use.
*/}}
{{- define "grafana.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "grafana.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The image reference: registry/repository:tag[@digest].
*/}}
{{- define "grafana.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion | toString }}
{{- $ref := printf "%s/%s:%s" (trimSuffix "/" .Values.image.registry) .Values.image.repository $tag }}
{{- if .Values.image.digest }}
{{- $ref = printf "%s@%s" $ref .Values.image.digest }}
{{- end }}
{{- $ref }}
{{- end }}

{{/*
PodDisruptionBudget apiVersion.
*/}}
{{- define "grafana.pdb.apiVersion" -}}
{{- if or (.Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget") (semverCompare ">=1.21-0" .Capabilities.KubeVersion.Version) -}}
policy/v1
{{- else -}}
policy/v1beta1
{{- end }}
{{- end }}

{{/*
Name of the Secret with the admin credentials.
*/}}
{{- define "grafana.adminSecretName" -}}
{{- if .Values.admin.existingSecret }}
{{- tpl .Values.admin.existingSecret . }}
{{- else if .Values.admin.externalSecret.enabled }}
{{- printf "%s-admin" (include "grafana.fullname" . | trunc 57 | trimSuffix "-") }}
{{- else }}
{{- fail "grafana: set admin.existingSecret or enable admin.externalSecret (the admin password must not come from the chart)" }}
{{- end }}
{{- end }}

{{/*
A name derived from the full name with a suffix, kept within 63 characters.
Called with (list $ "suffix").
*/}}
{{- define "grafana.suffixedName" -}}
{{- $ctx := index . 0 }}
{{- $suffix := index . 1 }}
{{- $max := sub 62 (len $suffix) | int }}
{{- printf "%s-%s" (include "grafana.fullname" $ctx | trunc $max | trimSuffix "-") $suffix }}
{{- end }}

{{/*
The grafana.ini file: top-level scalars first, then one [section] per map, keys sorted.
*/}}
{{- define "grafana.ini" -}}
{{- range $key, $value := .Values.grafanaIni }}
{{- if not (kindIs "map" $value) }}
{{ $key }} = {{ tpl (toString $value) $ }}
{{- end }}
{{- end }}
{{- range $section, $settings := .Values.grafanaIni }}
{{- if kindIs "map" $settings }}

[{{ $section }}]
{{- range $key, $value := $settings }}
{{ $key }} = {{ tpl (toString $value) $ }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Slug of a dashboard folder, used for directory and provider names.
*/}}
{{- define "grafana.folderSlug" -}}
{{- regexReplaceAll "[^a-z0-9]+" (lower .) "-" | trimAll "-" | trunc 50 | trimSuffix "-" }}
{{- end }}

{{/*
Whether a Deployment with these values can run several replicas on its storage.
*/}}
{{- define "grafana.validate" -}}
{{- if and (gt (int .Values.replicas) 1) .Values.persistence.enabled (not (has "ReadWriteMany" .Values.persistence.accessModes)) }}
{{- fail "grafana: replicas > 1 needs persistence.enabled=false (with an external database in grafanaIni.database) or a ReadWriteMany volume" }}
{{- end }}
{{- $defaults := 0 }}
{{- range $key := list "prometheus" "loki" "jaeger" }}
{{- $ds := index $.Values.datasources $key }}
{{- if and $ds.enabled $ds.isDefault }}
{{- $defaults = add1 $defaults }}
{{- end }}
{{- end }}
{{- if gt $defaults 1 }}
{{- fail "grafana: only one of datasources.{prometheus,loki,jaeger} may set isDefault" }}
{{- end }}
{{- end }}
