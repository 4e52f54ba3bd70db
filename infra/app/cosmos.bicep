param name string
param location string = resourceGroup().location
param tags object = {}
param databaseName string = 'salesflow'

@description('Containers of the app, their partition keys and composite indexes (as CosmosContainers.EnsureCreatedAsync creates them locally).')
param containers array = [
  {
    name: 'clients'
    partitionKey: '/id'
    compositeIndexes: []
  }
  {
    name: 'leads'
    partitionKey: '/clientId'
    // The compliance audit pages newest first by (createdAtMs, entryId), a base's sources by (createdAtMs, sourceId).
    compositeIndexes: [
      [
        {
          path: '/createdAtMs'
          order: 'descending'
        }
        {
          path: '/entryId'
          order: 'descending'
        }
      ]
      [
        {
          path: '/createdAtMs'
          order: 'descending'
        }
        {
          path: '/sourceId'
          order: 'descending'
        }
      ]
    ]
  }
  {
    name: 'conversations'
    partitionKey: '/leadKey'
    compositeIndexes: []
  }
  {
    name: 'outbox'
    partitionKey: '/clientId'
    // Every turn lists the lead's pending items ordered by (createdAtMs, outboxId), the paged listing by the same pair
    // newest first (as CosmosContainers declares both): a two-property ORDER BY is refused without its index. The app
    // cannot add them later: metadata writes are off for its identity.
    compositeIndexes: [
      [
        {
          path: '/createdAtMs'
          order: 'ascending'
        }
        {
          path: '/outboxId'
          order: 'ascending'
        }
      ]
      [
        {
          path: '/createdAtMs'
          order: 'descending'
        }
        {
          path: '/outboxId'
          order: 'descending'
        }
      ]
    ]
  }
]

resource account 'Microsoft.DocumentDB/databaseAccounts@2023-04-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: [
      {
        name: 'EnableServerless'
      }
    ]
    // Keys are off: only Entra identities with a Cosmos DB data-plane role (rbac.bicep) get in.
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    publicNetworkAccess: 'Enabled'
    minimalTlsVersion: 'Tls12'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2023-04-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2023-04-15' = [for container in containers: {
  parent: database
  name: container.name
  properties: {
    resource: {
      id: container.name
      partitionKey: {
        paths: [
          container.partitionKey
        ]
        kind: 'Hash'
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          {
            path: '/*'
          }
        ]
        // Large values no query filters or sorts on: indexing them costs RU on every write (a 384-number vector is
        // 384 index terms). Keep in step with CosmosContainers.NotIndexed.
        excludedPaths: [
          {
            path: '/"_etag"/?'
          }
          {
            path: '/vector/*'
          }
          {
            path: '/text/?'
          }
          {
            path: '/content/?'
          }
          {
            path: '/finalText/?'
          }
          {
            path: '/htmlBody/?'
          }
        ]
        compositeIndexes: container.compositeIndexes
      }
    }
  }
}]

output name string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
