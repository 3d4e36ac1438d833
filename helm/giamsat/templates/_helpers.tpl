{{/* Names, labels and the pod pieces every component shares. */}}

{{- define "giamsat.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "giamsat.fullname" -}}
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

{{- define "giamsat.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels; call with (dict "ctx" $ "component" "web"). */}}
{{- define "giamsat.labels" -}}
helm.sh/chart: {{ include "giamsat.chart" .ctx }}
{{ include "giamsat.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: giamsat
{{- end }}

{{- define "giamsat.selectorLabels" -}}
app.kubernetes.io/name: {{ include "giamsat.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "giamsat.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "giamsat.secretName" -}}
{{- default (include "giamsat.fullname" .) .Values.existingSecret }}
{{- end }}

{{- define "giamsat.webServiceName" -}}
{{- printf "%s-web" (include "giamsat.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* ConfigMap data: the non-empty `config` values. */}}
{{- define "giamsat.configData" -}}
{{- range $key, $value := .Values.config }}
{{- if ne (toString $value) "" }}
{{ $key }}: {{ toString $value | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* Secret data: the non-empty `secrets` values, base64. */}}
{{- define "giamsat.secretData" -}}
{{- range $key, $value := .Values.secrets }}
{{- if ne (toString $value) "" }}
{{ $key }}: {{ toString $value | b64enc | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Restarts pods when settings change. The Secret is hashed from values, not from its rendering,
because a generated GIAMSAT_SECRET_KEY would change the hash at every render.
*/}}
{{- define "giamsat.checksums" -}}
checksum/config: {{ include "giamsat.configData" . | sha256sum }}
checksum/secret: {{ printf "%s|%s" (toJson .Values.secrets) .Values.existingSecret | sha256sum }}
{{- end }}

{{/* Pod-level fields shared by every component. */}}
{{- define "giamsat.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.serviceAccountName }}
serviceAccountName: {{ . }}
{{- end }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end }}

{{/*
Container fields shared by every app container: image, settings, hardening.
Call with (dict "ctx" $); the migrate hook adds "configName"/"secretName" (its own copies) and
"env" (extra EnvVars).
*/}}
{{- define "giamsat.containerCommon" -}}
{{- $ctx := .ctx -}}
image: {{ include "giamsat.image" $ctx }}
imagePullPolicy: {{ $ctx.Values.image.pullPolicy }}
envFrom:
  - configMapRef:
      name: {{ .configName | default (include "giamsat.fullname" $ctx) }}
  - secretRef:
      name: {{ .secretName | default (include "giamsat.secretName" $ctx) }}
{{- with concat ($ctx.Values.extraEnv | default list) (.env | default list) }}
env:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml $ctx.Values.securityContext | nindent 2 }}
{{- end }}

{{- define "giamsat.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{- define "giamsat.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- end }}

{{/* nodeSelector, tolerations and affinity of one component's values. */}}
{{- define "giamsat.placement" -}}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
