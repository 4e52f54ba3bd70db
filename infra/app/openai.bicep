param name string
param location string = resourceGroup().location
param tags object = {}

// Two chat deployments: the router sends routine turns to the small one and hard ones to the large one
// (SalesFlow.Core/Ai/ModelRouter.cs); one model for both would route in name only.
param chatModelName string = 'gpt-4o-mini'
param chatModelVersion string = '2024-07-18'
param chatCapacity int = 30

param largeChatModelName string = 'gpt-4o'
param largeChatModelVersion string = '2024-11-20'
param largeChatCapacity int = 30

param embeddingModelName string = 'text-embedding-3-small'
param embeddingModelVersion string = '1'
param embeddingCapacity int = 120

resource account 'Microsoft.CognitiveServices/accounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    // A custom subdomain is required for Entra ID (token) authentication.
    customSubDomainName: name
    publicNetworkAccess: 'Enabled'
    // Keys are off: the app calls the /openai/v1/ endpoint with a bearer token (Cognitive Services OpenAI User).
    disableLocalAuth: true
  }
}

resource chat 'Microsoft.CognitiveServices/accounts/deployments@2023-05-01' = {
  parent: account
  name: chatModelName
  sku: {
    name: 'GlobalStandard'
    capacity: chatCapacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: chatModelName
      version: chatModelVersion
    }
  }
}

// Deployments of one account are created one after the other: parallel creation is rejected.
resource largeChat 'Microsoft.CognitiveServices/accounts/deployments@2023-05-01' = {
  parent: account
  name: largeChatModelName
  sku: {
    name: 'GlobalStandard'
    capacity: largeChatCapacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: largeChatModelName
      version: largeChatModelVersion
    }
  }
  dependsOn: [
    chat
  ]
}

resource embedding 'Microsoft.CognitiveServices/accounts/deployments@2023-05-01' = {
  parent: account
  name: embeddingModelName
  sku: {
    name: 'Standard'
    capacity: embeddingCapacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: embeddingModelName
      version: embeddingModelVersion
    }
  }
  dependsOn: [
    largeChat
  ]
}

output name string = account.name
output endpoint string = account.properties.endpoint
output chatDeploymentName string = chat.name
output largeChatDeploymentName string = largeChat.name
output embeddingDeploymentName string = embedding.name
