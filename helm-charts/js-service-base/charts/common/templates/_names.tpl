{{/*
Names. Every helper here takes the root context (`.`).
*/}}

{{/*
common.name: the chart name, or `.Values.nameOverride`; at most 63 characters.
*/}}
{{- define "common.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
common.fullname: `.Values.fullnameOverride`, else the release name when it already contains
the name, else `<release>-<name>`; at most 63 characters.
*/}}
{{- define "common.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
common.componentName: `<fullname>-<suffix>`, at most 63 characters.
Usage: include "common.componentName" (dict "ctx" $ "suffix" "worker")
*/}}
{{- define "common.componentName" -}}
{{- printf "%s-%s" (include "common.fullname" .ctx | trunc 50 | trimSuffix "-") .suffix | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
common.cronJobName: `<fullname>-<suffix>` for a CronJob, at most 52 characters (the API server
rejects longer CronJob names: the Job controller appends an 11-character suffix). The full name
is shortened first, so the suffix (the job's name) stays whole.
Usage: include "common.cronJobName" (dict "ctx" $ "suffix" "sitemap")
*/}}
{{- define "common.cronJobName" -}}
{{- $keep := max 1 (sub 51 (len .suffix)) | int -}}
{{- printf "%s-%s" (include "common.fullname" .ctx | trunc $keep | trimSuffix "-") .suffix | trunc 52 | trimSuffix "-" -}}
{{- end -}}

{{/*
common.chart: `<chart>-<version>` for the `helm.sh/chart` label.
*/}}
{{- define "common.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
common.partOf: the `app.kubernetes.io/part-of` label: `.Values.partOf`, else
`.Values.global.partOf`, else the release name.
*/}}
{{- define "common.partOf" -}}
{{- $global := default (dict) .Values.global -}}
{{- .Values.partOf | default $global.partOf | default .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
common.serviceAccountName: the ServiceAccount the pods run as: `.Values.serviceAccount.name`,
else the full name when the chart creates it, else `default`.
*/}}
{{- define "common.serviceAccountName" -}}
{{- $sa := default (dict) .Values.serviceAccount -}}
{{- if $sa.create -}}
{{- default (include "common.fullname" .) $sa.name -}}
{{- else -}}
{{- default "default" $sa.name -}}
{{- end -}}
{{- end -}}
