New-ADSyncRule  `
-Name 'In from AD - User Custom Attributes' `
-Identifier '5b1e9d3a-7c42-4f0e-9a61-2d8f0c3b7e15' `
-Description 'Employee data for the HR feed' `
-Direction 'Inbound' `
-Precedence 40 `
-PrecedenceAfter '00000000-0000-0000-0000-000000000000' `
-PrecedenceBefore '00000000-0000-0000-0000-000000000000' `
-SourceObjectType 'user' `
-TargetObjectType 'person' `
-Connector '7f3c2a10-5d6e-4b8f-a9c1-0e2d4f6a8b3c' `
-LinkType 'Join' `
-SoftDeleteExpiryInterval 0 `
-ImmutableTag '' `
-OutVariable syncRule


Add-ADSyncAttributeFlowMapping  `
-SynchronizationRule $syncRule[0] `
-Source @('employeeID') `
-Destination 'employeeID' `
-FlowType 'Direct' `
-ValueMergeType 'Update' `
-OutVariable syncRule


Add-ADSyncAttributeFlowMapping  `
-SynchronizationRule $syncRule[0] `
-Source @('HR') `
-Destination 'extensionAttribute15' `
-FlowType 'Constant' `
-ValueMergeType 'Replace' `
-OutVariable syncRule


Add-ADSyncAttributeFlowMapping  `
-SynchronizationRule $syncRule[0] `
-Source @('False') `
-Destination 'cloudNoFlow' `
-FlowType 'Constant' `
-ValueMergeType 'Update' `
-ExecuteOnce  `
-OutVariable syncRule


Add-ADSyncAttributeFlowMapping  `
-SynchronizationRule $syncRule[0] `
-Source @('department','company') `
-Destination 'department' `
-FlowType 'Expression' `
-ValueMergeType 'Update' `
-Expression '
      IIF(IsPresent([department]),
          Trim([department]),
          IIF(IsPresent([company]), [company] & " (no department)", NULL))
      ' `
-OutVariable syncRule


Add-ADSyncAttributeFlowMapping  `
-SynchronizationRule $syncRule[0] `
-Destination 'contributingConnectorUser' `
-FlowType 'Expression' `
-ValueMergeType 'Update' `
-Expression '%Connector.ID%' `
-OutVariable syncRule


Add-ADSyncAttributeFlowMapping  `
-SynchronizationRule $syncRule[0] `
-Source @('proxyAddresses') `
-Destination 'proxyAddresses' `
-FlowType 'Direct' `
-ValueMergeType 'MergeCaseInsensitive' `
-OutVariable syncRule


Add-ADSyncAttributeFlowMapping  `
-SynchronizationRule $syncRule[0] `
-Source @('otherMobile') `
-Destination 'otherMobile' `
-FlowType 'Direct' `
-ValueMergeType 'Merge' `
-OutVariable syncRule


New-Object  `
-TypeName 'Microsoft.IdentityManagement.PowerShell.ObjectModel.ScopeCondition' `
-ArgumentList 'employeeType','Employee','EQUAL' `
-OutVariable condition0


New-Object  `
-TypeName 'Microsoft.IdentityManagement.PowerShell.ObjectModel.ScopeCondition' `
-ArgumentList 'employeeID','','ISNOTNULL' `
-OutVariable condition1


Add-ADSyncScopeConditionGroup  `
-SynchronizationRule $syncRule[0] `
-ScopeConditions @($condition0[0],$condition1[0]) `
-OutVariable syncRule


New-Object  `
-TypeName 'Microsoft.IdentityManagement.PowerShell.ObjectModel.ScopeCondition' `
-ArgumentList 'extensionAttribute1','Contractor','STARTSWITH' `
-OutVariable condition0


Add-ADSyncScopeConditionGroup  `
-SynchronizationRule $syncRule[0] `
-ScopeConditions @($condition0[0]) `
-OutVariable syncRule


New-Object  `
-TypeName 'Microsoft.IdentityManagement.PowerShell.ObjectModel.JoinCondition' `
-ArgumentList 'employeeID','employeeID',$false `
-OutVariable condition0


New-Object  `
-TypeName 'Microsoft.IdentityManagement.PowerShell.ObjectModel.JoinCondition' `
-ArgumentList 'company','company',$false `
-OutVariable condition1


Add-ADSyncJoinConditionGroup  `
-SynchronizationRule $syncRule[0] `
-JoinConditions @($condition0[0],$condition1[0]) `
-OutVariable syncRule


New-Object  `
-TypeName 'Microsoft.IdentityManagement.PowerShell.ObjectModel.JoinCondition' `
-ArgumentList 'sAMAccountName','accountName',$true `
-OutVariable condition0


Add-ADSyncJoinConditionGroup  `
-SynchronizationRule $syncRule[0] `
-JoinConditions @($condition0[0]) `
-OutVariable syncRule


Add-ADSyncRule  `
-SynchronizationRule $syncRule[0]


Get-ADSyncRule  `
-Identifier '5b1e9d3a-7c42-4f0e-9a61-2d8f0c3b7e15'


New-ADSyncRule  `
-Name 'Out to AAD - User Identity' `
-Identifier 'c0a8e4f2-1b3d-4e5f-8a7b-9c0d1e2f3a4b' `
-Description '' `
-Direction 'Outbound' `
-Precedence 124 `
-PrecedenceAfter '00000000-0000-0000-0000-000000000000' `
-PrecedenceBefore '00000000-0000-0000-0000-000000000000' `
-SourceObjectType 'person' `
-TargetObjectType 'user' `
-Connector 'b891884f-051e-4a83-95af-2544101c9083' `
-LinkType 'JoinNoFlow' `
-SoftDeleteExpiryInterval 0 `
-ImmutableTag 'Microsoft.OuttoAADUserIdentity.005' `
-EnablePasswordSync  `
-OutVariable syncRule


Add-ADSyncAttributeFlowMapping  `
-SynchronizationRule $syncRule[0] `
-Source @('True') `
-Destination 'accountEnabled' `
-FlowType 'Constant' `
-ValueMergeType 'Update' `
-OutVariable syncRule


Add-ADSyncAttributeFlowMapping  `
-SynchronizationRule $syncRule[0] `
-Destination 'onPremisesDistinguishedName' `
-FlowType 'Expression' `
-ValueMergeType 'Update' `
-Expression 'AuthoritativeNull' `
-OutVariable syncRule


New-Object  `
-TypeName 'Microsoft.IdentityManagement.PowerShell.ObjectModel.ScopeCondition' `
-ArgumentList 'cloudFiltered','TRUE','NOTEQUAL' `
-OutVariable condition0


New-Object  `
-TypeName 'Microsoft.IdentityManagement.PowerShell.ObjectModel.ScopeCondition' `
-ArgumentList 'sourceObjectType','User','EQUAL' `
-OutVariable condition1


Add-ADSyncScopeConditionGroup  `
-SynchronizationRule $syncRule[0] `
-ScopeConditions @($condition0[0],$condition1[0]) `
-OutVariable syncRule


Add-ADSyncRule  `
-SynchronizationRule $syncRule[0]


Get-ADSyncRule  `
-Identifier 'c0a8e4f2-1b3d-4e5f-8a7b-9c0d1e2f3a4b'


New-ADSyncRule  `
-Name 'Out to AD - Manager''s $Display `Name' `
-Identifier '9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4' `
-Description 'Writes the display name; it''s disabled until HR signs off ($env:USERNAME is text, not a variable)' `
-Direction 'Outbound' `
-Precedence 12 `
-PrecedenceAfter '5b1e9d3a-7c42-4f0e-9a61-2d8f0c3b7e15' `
-PrecedenceBefore '00000000-0000-0000-0000-000000000000' `
-SourceObjectType 'person' `
-TargetObjectType 'user' `
-Connector '7f3c2a10-5d6e-4b8f-a9c1-0e2d4f6a8b3c' `
-LinkType 'Join' `
-SoftDeleteExpiryInterval 2 `
-ImmutableTag '' `
-Disabled  `
-OutVariable syncRule


Add-ADSyncAttributeFlowMapping  `
-SynchronizationRule $syncRule[0] `
-Source @('displayName','sn') `
-Destination 'displayName' `
-FlowType 'Expression' `
-ValueMergeType 'Update' `
-Expression 'IIF([sn] = "O''Brien", "Mr. O''Brien `$1", [displayName])' `
-OutVariable syncRule


Add-ADSyncRule  `
-SynchronizationRule $syncRule[0]


Get-ADSyncRule  `
-Identifier '9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4'


