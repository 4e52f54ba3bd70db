// The SalesFlow function app: a .NET isolated-worker Functions app (runtime dotnet-isolated, .NET 10) on the
// Flex Consumption plan, running as the one user-assigned identity.
//
// App settings: identity-based connections only, no keys. Keep every setting as one
// `{ name: '…' value: … }` entry of siteConfig.appSettings below: SalesFlow.Tests/Hosting/
// AppSettingsDriftTests reads the names from this file and compares them with the settings
// catalogue (SalesFlow.Functions/Hosting/AppSettings.cs). Flex Consumption rejects
// FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION: the runtime is functionAppConfig.runtime.

param name string
param planName string
param location string = resourceGroup().location
param tags object = {}

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (AZURE_CLIENT_ID, …__clientId settings).')
param identityClientId string

@description('Key Vault holding the key that encrypts the Data Protection key ring.')
param keyVaultName string

@description('Name of that secret in the vault.')
param keyEncryptionKeySecretName string

param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string
param cosmosEndpoint string
param cosmosDatabaseName string = 'salesflow'

@description('Azure OpenAI endpoint (https://<account>.openai.azure.com/), reached with the identity.')
param openAiEndpoint string

@description('Azure OpenAI chat deployment for routine turns (AI__SmallChatModel).')
param openAiChatDeploymentName string

@description('Azure OpenAI chat deployment for hard turns (AI__ChatModel).')
param openAiLargeChatDeploymentName string

@description('Azure OpenAI embedding deployment.')
param openAiEmbeddingDeploymentName string

@description('AI Search endpoint (https://<service>.search.windows.net), reached with the identity.')
param searchEndpoint string

@description('Fully qualified Service Bus namespace of the integration-events topic; empty: events are not published.')
param integrationEventsNamespace string = ''

@description('Name of the integration-events topic; empty with an empty namespace.')
param integrationEventsTopic string = ''

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource api 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references (@Microsoft.KeyVault(...)) in app settings resolve with the app's identity.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        // ── Host storage (AzureWebJobsStorage) and the app's work queues, by identity ──
        {
          name: 'AzureWebJobsStorage__blobServiceUri'
          value: storage.properties.primaryEndpoints.blob
        }
        {
          name: 'AzureWebJobsStorage__queueServiceUri'
          value: storage.properties.primaryEndpoints.queue
        }
        // The Durable Task hub (Azure Storage provider) keeps its instances and history in tables.
        {
          name: 'AzureWebJobsStorage__tableServiceUri'
          value: storage.properties.primaryEndpoints.table
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        // ── Telemetry, authenticated with the identity (local auth is off) ──
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: applicationInsights.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identityClientId};Authorization=AAD'
        }
        // ── DefaultAzureCredential picks the user-assigned identity ──
        {
          name: 'AZURE_CLIENT_ID'
          value: identityClientId
        }
        // ── SalesFlow: the public URL. The host proxies each request to the handler on http://127.0.0.1, and Twilio
        // signs the URL it called: without this every Twilio webhook fails its signature check. ──
        {
          name: 'SalesFlow__PublicBaseUrl'
          value: 'https://${name}.azurewebsites.net'
        }
        // ── The web console takes the site root (the "home" function), not the host's own homepage ──
        {
          name: 'AzureWebJobsDisableHomepage'
          value: 'true'
        }
        // ── SalesFlow: adapters ──
        {
          name: 'SalesFlow__Store'
          value: 'cosmos'
        }
        // The key ring that encrypts client secrets lives in Cosmos, encrypted with this key from Key Vault (a Key Vault
        // reference, resolved by the platform with keyVaultReferenceIdentity: the key never appears in app settings).
        {
          name: 'DataProtection__KeyEncryptionKey'
          value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${keyEncryptionKeySecretName})'
        }
        {
          name: 'SalesFlow__Queue'
          value: 'storage'
        }
        // The demo client prints its secrets to stdout, which the host forwards to the logs.
        {
          name: 'DemoClient__Enabled'
          value: 'false'
        }
        // ── Cosmos DB, by identity ──
        {
          name: 'CosmosDb__accountEndpoint'
          value: cosmosEndpoint
        }
        {
          name: 'CosmosDb__credential'
          value: 'managedidentity'
        }
        {
          name: 'CosmosDb__clientId'
          value: identityClientId
        }
        {
          name: 'CosmosDb__databaseName'
          value: cosmosDatabaseName
        }
        // ── Azure OpenAI, by identity (keys are disabled on the account) ──
        {
          name: 'AI__Provider'
          value: 'azureopenai'
        }
        {
          name: 'AI__Endpoint'
          value: openAiEndpoint
        }
        {
          name: 'AI__ManagedIdentityClientId'
          value: identityClientId
        }
        {
          name: 'AI__ChatModel'
          value: openAiLargeChatDeploymentName
        }
        {
          name: 'AI__SmallChatModel'
          value: openAiChatDeploymentName
        }
        {
          name: 'AI__EmbeddingModel'
          value: openAiEmbeddingDeploymentName
        }
        // ── Knowledge: chunks in Azure AI Search (by identity), bases and sources in Cosmos (SalesFlow__Store);
        // no SQLite file in the read-only app folder. ──
        {
          name: 'Knowledge__Index'
          value: 'azuresearch'
        }
        {
          name: 'Search__Endpoint'
          value: searchEndpoint
        }
        {
          name: 'Search__ManagedIdentityClientId'
          value: identityClientId
        }
        // ── Integration events: a Service Bus topic (by identity, Data Sender), when main.bicep deploys one. ──
        {
          name: 'IntegrationEvents__ServiceBusNamespace'
          value: integrationEventsNamespace
        }
        {
          name: 'IntegrationEvents__Topic'
          value: integrationEventsTopic
        }
        {
          name: 'IntegrationEvents__ManagedIdentityClientId'
          value: identityClientId
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      // Flex Consumption lists dotnet-isolated 8.0, 9.0 and 10.0; the app targets net10.0.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

output name string = api.name
output uri string = 'https://${api.properties.defaultHostName}'
