-- aigov: AI API calls from a CloudTrail Lake event data store.
-- This is the query `aigov logs --cloudtrail-lake <eventDataStoreArn> --since …` runs; replace EVENT-DATA-STORE-ID
-- (the last part of the event data store ARN) and the start time. Read the result back with
--   aws cloudtrail get-query-results --query-id ID > ai-calls.json && aigov logs ai-calls.json
SELECT eventID, eventTime, eventSource, eventName, awsRegion, recipientAccountId,
  userIdentity.arn AS userIdentityArn, userIdentity.type AS userIdentityType, userIdentity.accountId AS userIdentityAccountId,
  userIdentity.accessKeyId AS userIdentityAccessKeyId, userIdentity.invokedBy AS userIdentityInvokedBy,
  sourceIPAddress, userAgent, errorCode,
  COALESCE(element_at(requestParameters, 'modelId'), element_at(requestParameters, 'modelIdentifier'), element_at(requestParameters, 'modelArn'), element_at(requestParameters, 'model'), element_at(requestParameters, 'baseModelIdentifier'), element_at(requestParameters, 'foundationModel')) AS modelId,
  element_at(requestParameters, 'endpointName') AS endpointName,
  COALESCE(element_at(additionalEventData, 'callWithBearerToken'), element_at(requestParameters, 'callWithBearerToken')) AS callWithBearerToken,
  element_at(additionalEventData, 'inferenceRegion') AS inferenceRegion
FROM EVENT-DATA-STORE-ID
WHERE eventSource IN ('bedrock.amazonaws.com', 'bedrock-mantle.amazonaws.com', 'sagemaker.amazonaws.com', 'runtime.sagemaker.amazonaws.com', 'api.sagemaker.amazonaws.com')
  AND eventTime >= '2026-11-20 00:00:00'
ORDER BY eventTime
