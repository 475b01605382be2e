{{/* Names, labels and the image shared by every template. */}}

{{- define "barelb.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release name, unless it already contains the chart name ("barelb" stays "barelb"). */}}
{{- define "barelb.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Selector labels of one component: (dict "context" $ "component" "controller"). */}}
{{- define "barelb.selectorLabels" -}}
app.kubernetes.io/name: {{ include "barelb.name" .context }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "barelb.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .context.Chart.Name .context.Chart.Version | replace "+" "_" }}
{{ include "barelb.selectorLabels" . }}
app.kubernetes.io/version: {{ .context.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
{{- end }}

{{- define "barelb.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{- define "barelb.controller.serviceAccountName" -}}
{{- .Values.controller.serviceAccount.name | default (printf "%s-controller" (include "barelb.fullname" .)) }}
{{- end }}

{{- define "barelb.speaker.serviceAccountName" -}}
{{- .Values.speaker.serviceAccount.name | default (printf "%s-speaker" (include "barelb.fullname" .)) }}
{{- end }}

{{/* The Lease the controller replicas campaign on. */}}
{{- define "barelb.leaseName" -}}
{{- printf "%s-controller" (include "barelb.fullname" .) }}
{{- end }}

{{- define "barelb.heartbeatSecretName" -}}
{{- .Values.speaker.l2.heartbeatSecret.existingSecret | default (printf "%s-heartbeat" (include "barelb.fullname" .)) }}
{{- end }}

{{/* The barelb.io kinds both components list and watch (src/k8s/controller-store.ts). */}}
{{- define "barelb.configResources" -}}
- ipaddresspools
- l2advertisements
- bgpadvertisements
- bgppeers
- bfdprofiles
- communities
{{- end }}

{{/* The container securityContext of everything that needs no privilege at all. */}}
{{- define "barelb.restrictedContainer" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop:
    - ALL
{{- end }}
