// Optional: the Service Bus topic SalesFlow publishes integration events to (lead became hot, state changed,
// opted out, escalated) for a client's other systems, which add their own subscriptions. main.bicep deploys
// it only when integrationEventsEnabled is true. No keys: local (SAS) auth is off and the app identity gets
// 'Azure Service Bus Data Sender' on the topic only.

param name string
param location string = resourceGroup().location
param tags object = {}
param topicName string = 'salesflow-integration-events'

@description('Principal id of the app identity that publishes.')
param identityPrincipalId string

// 'Azure Service Bus Data Sender'
var dataSenderRoleId = '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  // Topics need Standard or Premium.
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' = {
  parent: namespace
  name: topicName
  properties: {
    // MessageId is the event's idempotency key: a turn re-run within a day publishes nothing new.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'P1D'
    defaultMessageTimeToLive: 'P14D'
  }
}

resource appSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(topic.id, identityPrincipalId, dataSenderRoleId)
  scope: topic
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataSenderRoleId)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output name string = namespace.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
output topicName string = topic.name
