param name string
param location string = resourceGroup().location
param tags object = {}

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

output name string = vault.name
output uri string = vault.properties.vaultUri
