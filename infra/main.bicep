targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; used for the resource group name and to generate a unique token for every resource name.')
param environmentName string

@minLength(1)
@description('Primary location for all resources. It must offer the Flex Consumption plan.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Location of the Azure OpenAI account (azd: AZURE_OPENAI_LOCATION); empty means location. Pick a region that offers gpt-4o-mini and gpt-4o (GlobalStandard) and text-embedding-3-small (Standard).')
param openAiLocation string = ''

// Model versions are retired on a schedule (see docs/deploy.md): pick ones your region still offers for new deployments
// with `az cognitiveservices model list -l <location>` and set them with `azd env set`; empty keeps the default.
@description('Small chat model (routine turns, extraction; azd: AZURE_OPENAI_CHAT_MODEL); empty means gpt-4o-mini.')
param chatModelName string = ''

@description('Version of the small chat model (azd: AZURE_OPENAI_CHAT_MODEL_VERSION); empty means 2024-07-18.')
param chatModelVersion string = ''

@description('Large chat model (objections, price, closing; azd: AZURE_OPENAI_LARGE_CHAT_MODEL); empty means gpt-4o.')
param largeChatModelName string = ''

@description('Version of the large chat model (azd: AZURE_OPENAI_LARGE_CHAT_MODEL_VERSION); empty means 2024-11-20.')
param largeChatModelVersion string = ''

@description('Object id of the user (or service principal) running azd; gets the same data-plane roles as the app, for debugging. Leave empty to skip.')
param principalId string = ''

@allowed(['User', 'ServicePrincipal'])
@description('Kind of principalId: User for an interactive azd session, ServicePrincipal in CI.')
param principalType string = 'User'

@description('Tokens per minute (thousands) for the small chat deployment (routine turns).')
param chatCapacity int = 30

@description('Tokens per minute (thousands) for the large chat deployment (hard turns: objections, price, closing).')
param largeChatCapacity int = 30

@description('Tokens per minute (thousands) for the embedding deployment. Ingesting a 512 KiB document embeds about 130K tokens; at 30K TPM that takes over four minutes of quota, close to the function timeout.')
param embeddingCapacity int = 120

@description('Deploy a Service Bus namespace and topic and publish integration events (lead became hot, state changed, opted out, escalated) to it; off by default.')
param integrationEventsEnabled bool = false

@secure()
@description('Key that encrypts the Data Protection key ring (see app/keyvault.bicep); azd reads it from Key Vault or generates it once.')
param keyEncryptionKey string

var abbrs = loadJsonContent('./abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.webSitesFunctions}api-${resourceToken}'
var deploymentStorageContainerName = 'app-package-${take(functionAppName, 32)}-${take(toLower(uniqueString(functionAppName, resourceToken)), 7)}'
var cosmosDatabaseName = 'salesflow'
var openAiAccountLocation = empty(openAiLocation) ? location : openAiLocation

resource rg 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

// The one identity of the app: every data-plane call (storage, Cosmos DB, AI Search, OpenAI,
// Key Vault, App Insights) authenticates as this identity; rbac.bicep grants its roles.
module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentStorageContainerName
  }
}

module cosmos 'app/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    name: '${abbrs.documentDBDatabaseAccounts}${resourceToken}'
    location: location
    tags: tags
    databaseName: cosmosDatabaseName
  }
}

module search 'app/search.bicep' = {
  name: 'search'
  scope: rg
  params: {
    name: '${abbrs.searchSearchServices}${resourceToken}'
    location: location
    tags: tags
  }
}

module serviceBus 'app/servicebus.bicep' = if (integrationEventsEnabled) {
  name: 'servicebus'
  scope: rg
  params: {
    name: '${abbrs.serviceBusNamespaces}${resourceToken}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
  }
}

module openai 'app/openai.bicep' = {
  name: 'openai'
  scope: rg
  params: {
    name: '${abbrs.cognitiveServicesAccounts}${resourceToken}'
    location: openAiAccountLocation
    tags: tags
    chatModelName: empty(chatModelName) ? 'gpt-4o-mini' : chatModelName
    chatModelVersion: empty(chatModelVersion) ? '2024-07-18' : chatModelVersion
    largeChatModelName: empty(largeChatModelName) ? 'gpt-4o' : largeChatModelName
    largeChatModelVersion: empty(largeChatModelVersion) ? '2024-11-20' : largeChatModelVersion
    chatCapacity: chatCapacity
    largeChatCapacity: largeChatCapacity
    embeddingCapacity: embeddingCapacity
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    keyEncryptionKey: keyEncryptionKey
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    identityPrincipalId: identity.outputs.principalId
    principalId: principalId
    principalType: principalType
    storageAccountName: storage.outputs.name
    cosmosAccountName: cosmos.outputs.name
    searchServiceName: search.outputs.name
    openAiAccountName: openai.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentStorageContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmosDatabaseName
    openAiEndpoint: openai.outputs.endpoint
    openAiChatDeploymentName: openai.outputs.chatDeploymentName
    openAiLargeChatDeploymentName: openai.outputs.largeChatDeploymentName
    openAiEmbeddingDeploymentName: openai.outputs.embeddingDeploymentName
    searchEndpoint: search.outputs.endpoint
    integrationEventsNamespace: serviceBus.?outputs.fullyQualifiedNamespace ?? ''
    integrationEventsTopic: serviceBus.?outputs.topicName ?? ''
    keyVaultName: keyVault.outputs.name
    keyEncryptionKeySecretName: keyVault.outputs.keyEncryptionKeySecretName
  }
  // The host starts with identity-based storage and telemetry: give it its roles first.
  dependsOn: [
    rbac
  ]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output AZURE_API_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint
output AZURE_COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output AZURE_COSMOS_DATABASE_NAME string = cosmosDatabaseName
output AZURE_SEARCH_ENDPOINT string = search.outputs.endpoint
output AZURE_SERVICEBUS_NAMESPACE string = serviceBus.?outputs.fullyQualifiedNamespace ?? ''
output AZURE_OPENAI_ENDPOINT string = openai.outputs.endpoint
output AZURE_OPENAI_CHAT_DEPLOYMENT string = openai.outputs.chatDeploymentName
output AZURE_OPENAI_LARGE_CHAT_DEPLOYMENT string = openai.outputs.largeChatDeploymentName
output AZURE_OPENAI_EMBEDDING_DEPLOYMENT string = openai.outputs.embeddingDeploymentName
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
