{{/* The name of every object: the release name, or RELEASE-kubemedic when it does not say kubemedic. */}}
{{- define "kubemedic.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object: the Kustomize base's pair plus Helm's standard ones. */}}
{{- define "kubemedic.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/part-of: kubemedic
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* What selects the bot's pods. */}}
{{- define "kubemedic.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/component: bot
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* SQLite in the pod (no PostgreSQL Secret named). */}}
{{- define "kubemedic.sqlite" -}}
{{- if not .Values.database.existingSecret -}}true{{- end -}}
{{- end -}}

{{/* The bot's command line: the chat it serves and, for Slack, its mode. */}}
{{- define "kubemedic.args" -}}
{{- if eq .Values.chat "mattermost" -}}[serve, --mattermost]
{{- else if eq .Values.chat "teams" -}}[serve, --teams]
{{- else -}}[serve{{ if eq .Values.slack.mode "http" }}, --http{{ end }}{{ if eq .Values.mode "hub" }}, --hub{{ end }}]
{{- end -}}
{{- end -}}

{{/* Where Mattermost calls the bot: the value, the ingress's host, or the Service in the cluster. */}}
{{- define "kubemedic.mattermostCallback" -}}
{{- if .Values.mattermost.callbackUrl -}}{{ .Values.mattermost.callbackUrl }}
{{- else if .Values.ingress.enabled -}}https://{{ .Values.ingress.host }}
{{- else -}}http://{{ include "kubemedic.fullname" . }}.{{ .Release.Namespace }}.svc{{ if ne (int .Values.service.port) 80 }}:{{ .Values.service.port }}{{ end }}
{{- end -}}
{{- end -}}

{{/* The settings ConfigMap's data, also hashed into its name (a change rolls the pods). */}}
{{- define "kubemedic.settings" -}}
KUBEMEDIC_ADMINS: {{ join "," .Values.admins | quote }}
KUBEMEDIC_CACHE_DIR: /var/cache/kubemedic
{{- with .Values.alertmanager.channel }}
KUBEMEDIC_ALERT_CHANNEL: {{ . | quote }}
{{- end }}
{{- with .Values.clusters.contexts }}
KUBEMEDIC_CONTEXTS: {{ join "," . | quote }}
{{- end }}
KUBEMEDIC_INCIDENT_CHANNEL_PREFIX: inc-
{{- if eq .Values.chat "mattermost" }}
KUBEMEDIC_MATTERMOST_URL: {{ .Values.mattermost.url | quote }}
KUBEMEDIC_MATTERMOST_CALLBACK_URL: {{ include "kubemedic.mattermostCallback" . | quote }}
{{- end }}
KUBEMEDIC_NAMESPACES: {{ join "," .Values.namespaces | quote }}
{{- with .Values.incidents.pagerdutyFrom }}
KUBEMEDIC_PAGERDUTY_FROM: {{ . | quote }}
{{- end }}
{{- with .Values.incidents.jsmApiUrl }}
KUBEMEDIC_JSM_API_URL: {{ . | quote }}
{{- end }}
{{- with .Values.incidents.jsmEmail }}
KUBEMEDIC_JSM_EMAIL: {{ . | quote }}
{{- end }}
{{- if .Values.jira.url }}
KUBEMEDIC_JIRA_URL: {{ .Values.jira.url | quote }}
KUBEMEDIC_JIRA_PROJECT: {{ .Values.jira.project | quote }}
KUBEMEDIC_JIRA_API_VERSION: {{ .Values.jira.apiVersion | quote }}
KUBEMEDIC_JIRA_ISSUE_TYPE: {{ .Values.jira.issueType | quote }}
{{- with .Values.jira.email }}
KUBEMEDIC_JIRA_EMAIL: {{ . | quote }}
{{- end }}
{{- end }}
{{- if eq .Values.chat "teams" }}
KUBEMEDIC_TEAMS_APP_ID: {{ .Values.teams.appId | quote }}
{{- with .Values.teams.tenantId }}
KUBEMEDIC_TEAMS_TENANT_ID: {{ . | quote }}
{{- end }}
{{- with .Values.teams.tenantIds }}
KUBEMEDIC_TEAMS_TENANT_IDS: {{ . | quote }}
{{- end }}
{{- with .Values.teams.teamId }}
KUBEMEDIC_TEAMS_GRAPH: "true"
KUBEMEDIC_TEAMS_TEAM_ID: {{ . | quote }}
{{- end }}
{{- end }}
{{- if or .Values.routing.existingConfigMap .Values.routing.file }}
KUBEMEDIC_ROUTING_FILE: /etc/kubemedic/routing/routing.yaml
{{- end }}
{{- if .Values.watcher.enabled }}
KUBEMEDIC_WATCH: "true"
{{- end }}
{{- if eq .Values.mode "agent" }}
KUBEMEDIC_HUB_URL: {{ .Values.agent.hubUrl | quote }}
{{- if .Values.remediation.enabled }}
KUBEMEDIC_AGENT_REMEDIATION: "true"
{{- end }}
{{- end }}
{{- if or .Values.identities.existingConfigMap .Values.identities.file }}
KUBEMEDIC_IDENTITY_FILE: /etc/kubemedic/identities/identities.yaml
{{- end }}
{{- range $key, $value := .Values.settings }}
{{ $key }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{- define "kubemedic.settingsName" -}}
{{- printf "%s-%s" (include "kubemedic.fullname" .) (include "kubemedic.settings" . | sha256sum | trunc 10) -}}
{{- end -}}

{{- define "kubemedic.identitiesName" -}}
{{- if .Values.identities.existingConfigMap -}}
{{- .Values.identities.existingConfigMap -}}
{{- else -}}
{{- printf "%s-identities-%s" (include "kubemedic.fullname" .) (.Values.identities.file | sha256sum | trunc 10) -}}
{{- end -}}
{{- end -}}

{{- define "kubemedic.routingName" -}}
{{- if .Values.routing.existingConfigMap -}}
{{- .Values.routing.existingConfigMap -}}
{{- else -}}
{{- printf "%s-routing-%s" (include "kubemedic.fullname" .) (.Values.routing.file | sha256sum | trunc 10) -}}
{{- end -}}
{{- end -}}

{{/* Refuse combinations that cannot work, with what to set instead. */}}
{{- define "kubemedic.checks" -}}
{{- if not .Values.image.repository -}}
{{- fail "image.repository is required: the image you built and pushed (docs/install.md, step 1), e.g. --set image.repository=ghcr.io/you/kubemedic" -}}
{{- end -}}
{{- if hasPrefix "registry.example.com/" .Values.image.repository -}}
{{- fail (printf "image.repository is %s, the docs' placeholder: set it to the image you built (docs/install.md, step 1), e.g. --set image.repository=ghcr.io/you/kubemedic, or localhost/kubemedic for an image loaded without a registry" .Values.image.repository) -}}
{{- end -}}
{{- if and (gt (int .Values.replicaCount) 1) (include "kubemedic.sqlite" .) -}}
{{- fail "replicaCount > 1 needs PostgreSQL: set database.existingSecret (SQLite lives on one pod's ReadWriteOnce volume)" -}}
{{- end -}}
{{- if and (eq .Values.mode "agent") (not .Values.agent.hubUrl) -}}
{{- fail "mode=agent needs agent.hubUrl: the hub's public https:// URL (docs/fleet.md)" -}}
{{- end -}}
{{- if and (ne .Values.mode "hub") (or .Values.identities.existingConfigMap .Values.identities.file) -}}
{{- fail "identities is the hub's (mode=hub): its agents impersonate the people it maps; an agent lists them in agent.impersonate" -}}
{{- end -}}
{{- if and (ne .Values.mode "agent") (or .Values.agent.alertmanager.enabled .Values.agent.impersonate.users .Values.agent.impersonate.groups) -}}
{{- fail "agent.alertmanager and agent.impersonate are for mode=agent" -}}
{{- end -}}
{{- if and (eq .Values.mode "hub") (or .Values.remediation.enabled .Values.watcher.enabled .Values.clusters.kubeconfigSecret) -}}
{{- fail "mode=hub reads no cluster: leave remediation, watcher and clusters off (each cluster's agent reads it)" -}}
{{- end -}}
{{- if and (eq .Values.mode "hub") (eq .Values.chat "mattermost") -}}
{{- fail "mode=hub serves Slack only for now (serve --hub refuses --mattermost)" -}}
{{- end -}}
{{- if and .Values.ingress.enabled (ne .Values.slack.mode "http") (eq .Values.chat "slack") (not .Values.incidents.ingress) -}}
{{- fail "ingress.enabled needs slack.mode=http, chat=mattermost, chat=teams or incidents.ingress (Socket Mode dials out to Slack and needs no ingress)" -}}
{{- end -}}
{{- if and .Values.incidents.ingress (not .Values.ingress.enabled) -}}
{{- fail "incidents.ingress needs ingress.enabled (and ingress.host): PagerDuty and Opsgenie post from the internet" -}}
{{- end -}}
{{- if and .Values.incidents.ingress (not .Values.incidents.existingSecret) -}}
{{- fail "incidents.ingress needs incidents.existingSecret: the Secret with the webhooks' secrets (docs/pagerduty.md, docs/opsgenie.md)" -}}
{{- end -}}
{{- if and .Values.jira.url (or (not .Values.jira.project) (not .Values.incidents.existingSecret)) -}}
{{- fail "jira.url needs jira.project and incidents.existingSecret (its key KUBEMEDIC_JIRA_TOKEN) (docs/jira.md)" -}}
{{- end -}}
{{- if and (eq .Values.chat "teams") (or (not .Values.teams.appId) (not .Values.teams.existingSecret)) -}}
{{- fail "chat=teams needs teams.appId and teams.existingSecret (key KUBEMEDIC_TEAMS_APP_PASSWORD; KUBEMEDIC_SIGNING_KEY optional) (docs/teams.md)" -}}
{{- end -}}
{{- if and (eq .Values.chat "teams") (not (or .Values.teams.tenantIds .Values.teams.tenantId)) -}}
{{- fail "chat=teams needs teams.tenantIds: the Microsoft 365 tenants answered, comma-separated (docs/teams.md)" -}}
{{- end -}}
{{- if and (eq .Values.mode "hub") (eq .Values.chat "teams") -}}
{{- fail "mode=hub serves Slack only for now (serve --hub refuses --teams)" -}}
{{- end -}}
{{- if and (eq .Values.chat "mattermost") (not .Values.mattermost.url) -}}
{{- fail "chat=mattermost needs mattermost.url: the Mattermost server's base URL, e.g. --set mattermost.url=https://chat.example.com (docs/install.md, Mattermost)" -}}
{{- end -}}
{{- if and .Values.routing.existingConfigMap .Values.routing.file -}}
{{- fail "set routing.existingConfigMap or routing.file, not both" -}}
{{- end -}}
{{- if and (include "kubemedic.sqlite" .) .Values.persistence.enabled (not .Values.persistence.existingClaim) (not .Values.persistence.storageClass) -}}
{{- /* lookup answers only against a cluster (empty offline, in `helm template`): there, a claim
       without a class waits for a default StorageClass forever, so say so before installing */ -}}
{{- $classes := lookup "storage.k8s.io/v1" "StorageClass" "" "" -}}
{{- if and $classes (not (include "kubemedic.defaultStorageClass" $classes)) -}}
{{- fail (printf "no default StorageClass in this cluster (StorageClasses: %s): the claim %s-data would stay Pending and the pod with it. Set persistence.storageClass=NAME (kubectl get storageclass), or persistence.enabled=false (SQLite on an emptyDir: history is lost with the pod)" (include "kubemedic.storageClassNames" $classes | default "none") (include "kubemedic.fullname" .)) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.clusters.contexts (not .Values.clusters.kubeconfigSecret) -}}
{{- fail "clusters.contexts needs clusters.kubeconfigSecret (a Secret with the kubeconfig under key config)" -}}
{{- end -}}
{{- end -}}

{{/* "true" when one of the StorageClasses (a lookup's list) is the cluster's default. */}}
{{- define "kubemedic.defaultStorageClass" -}}
{{- range .items -}}
{{- $annotations := .metadata.annotations | default dict -}}
{{- if or (eq (index $annotations "storageclass.kubernetes.io/is-default-class" | default "") "true") (eq (index $annotations "storageclass.beta.kubernetes.io/is-default-class" | default "") "true") -}}true{{- end -}}
{{- end -}}
{{- end -}}

{{- define "kubemedic.storageClassNames" -}}
{{- $names := list -}}
{{- range .items -}}{{- $names = append $names .metadata.name -}}{{- end -}}
{{- join ", " $names -}}
{{- end -}}
