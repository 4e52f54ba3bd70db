param name string
param location string = resourceGroup().location
param tags object = {}

@allowed(['basic', 'standard'])
param sku string = 'basic'

resource search 'Microsoft.Search/searchServices@2023-11-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
  }
  properties: {
    replicaCount: 1
    partitionCount: 1
    hostingMode: 'default'
    publicNetworkAccess: 'enabled'
    // API keys are off: the app uses its identity (Search Index Data Contributor, Search Service Contributor).
    disableLocalAuth: true
    semanticSearch: 'disabled'
  }
}

output name string = search.name
output endpoint string = 'https://${search.name}.search.windows.net'
