param name string
param location string = resourceGroup().location
param tags object = {}

@secure()
@description('Encrypts the Data Protection key ring (which encrypts client secrets in Cosmos). azd reads it back from this vault on every deployment (main.parameters.json: secretOrRandomPassword), so it is generated once and never changes by itself.')
param keyEncryptionKey string

@description('Name of the secret that holds keyEncryptionKey; the app reads it through a Key Vault reference.')
param keyEncryptionKeySecretName string = 'salesflow-key-encryption-key'

// Vendor secrets (WhatsApp, Twilio, SendGrid, HubSpot, Cal.com) are set by operators, never by
// this template: see docs/deploy.md. Access is Azure RBAC only (no access policies).
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource keyEncryptionKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: keyEncryptionKeySecretName
  properties: {
    value: keyEncryptionKey
    contentType: 'SalesFlow Data Protection key encryption key'
  }
}

output name string = vault.name
output keyEncryptionKeySecretName string = keyEncryptionKeySecret.name
output uri string = vault.properties.vaultUri
