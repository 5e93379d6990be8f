{{/*
Expand the name of the chart.
*/}}
{{- define "loki.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name.
We truncate at 63 chars because some Kubernetes name fields are limited to this (by the DNS naming spec).
If the release name contains the chart name it is used as the full name.
*/}}
{{- define "loki.fullname" -}}
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
{{- define "loki.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels.
*/}}
{{- define "loki.labels" -}}
helm.sh/chart: {{ include "loki.chart" . }}
{{ include "loki.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | trunc 63 | trimSuffix "-" | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: {{ .Values.partOf | quote }}
app.kubernetes.io/component: single-binary
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Selector labels of this chart's objects.
*/}}
{{- define "loki.selectorLabels" -}}
app.kubernetes.io/name: {{ include "loki.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Name of the ServiceAccount to use.
*/}}
{{- define "loki.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "loki.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The image reference: registry/repository:tag[@digest].
*/}}
{{- define "loki.image" -}}
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
{{- define "loki.pdb.apiVersion" -}}
{{- if or (.Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget") (semverCompare ">=1.21-0" .Capabilities.KubeVersion.Version) -}}
policy/v1
{{- else -}}
policy/v1beta1
{{- end }}
{{- end }}

{{/*
A name derived from the full name with a suffix, kept within 63 characters.
Called with (list $ "suffix").
*/}}
{{- define "loki.suffixedName" -}}
{{- $ctx := index . 0 }}
{{- $suffix := index . 1 }}
{{- $max := sub 62 (len $suffix) | int }}
{{- printf "%s-%s" (include "loki.fullname" $ctx | trunc $max | trimSuffix "-") $suffix }}
{{- end }}

{{/*
Name of the headless Service (the StatefulSet's governing Service and the memberlist seed).
*/}}
{{- define "loki.headlessName" -}}
{{- include "loki.suffixedName" (list . "headless") }}
{{- end }}

{{/*
The Loki configuration file: `config` from values, through toYaml and tpl.
*/}}
{{- define "loki.config" -}}
{{- tpl (toYaml .Values.config) . }}
{{- end }}

{{/*
Whether the ring uses memberlist (then the gossip port is exposed).
*/}}
{{- define "loki.memberlist" -}}
{{- if eq (dig "common" "ring" "kvstore" "store" "" .Values.config) "memberlist" }}true{{ end }}
{{- end }}

{{/*
Port numbers from the Loki config (defaults when the config leaves them out).
*/}}
{{- define "loki.httpPort" -}}
{{- dig "server" "http_listen_port" 3100 .Values.config | int }}
{{- end }}

{{- define "loki.grpcPort" -}}
{{- dig "server" "grpc_listen_port" 9095 .Values.config | int }}
{{- end }}

{{/*
Render-time checks of the values.
*/}}
{{- define "loki.validate" -}}
{{- if and (gt (int .Values.replicas) 1) (not (include "loki.memberlist" .)) }}
{{- fail "loki: replicas > 1 needs config.common.ring.kvstore.store=memberlist (and object storage)" }}
{{- end }}
{{- end }}
