-- aigov: AI API calls from CloudTrail logs in S3, pushed down to Amazon Athena.
-- Table: the standard CloudTrail table (CREATE TABLE … from the CloudTrail console's "Create Athena table", or a
-- partition-projected one); replace cloudtrail_logs, the results location and the start time. UNLOAD writes gzip
-- NDJSON with the lower-case column names below, which aigov logs reads back:
--   aigov logs s3://<results-bucket>/aigov/2026-11-20/
-- The columns and the event-source filter are the same as docs/log-queries/cloudtrail-lake.sql.
UNLOAD (
  SELECT eventid, eventtime, eventsource, eventname, awsregion, recipientaccountid,
    useridentity.arn AS useridentityarn, useridentity.type AS useridentitytype, useridentity.accountid AS useridentityaccountid,
    useridentity.accesskeyid AS useridentityaccesskeyid, useridentity.invokedby AS useridentityinvokedby, sourceipaddress, useragent, errorcode,
    COALESCE(json_extract_scalar(requestparameters, '$.modelId'), json_extract_scalar(requestparameters, '$.modelIdentifier'), json_extract_scalar(requestparameters, '$.modelArn'), json_extract_scalar(requestparameters, '$.model'), json_extract_scalar(requestparameters, '$.baseModelIdentifier'), json_extract_scalar(requestparameters, '$.foundationModel')) AS modelid,
    json_extract_scalar(requestparameters, '$.endpointName') AS endpointname,
    COALESCE(json_extract_scalar(additionaleventdata, '$.callWithBearerToken'), json_extract_scalar(requestparameters, '$.callWithBearerToken')) AS callwithbearertoken,
    json_extract_scalar(additionaleventdata, '$.inferenceRegion') AS inferenceregion
  FROM cloudtrail_logs
  WHERE eventsource IN ('bedrock.amazonaws.com', 'bedrock-mantle.amazonaws.com', 'sagemaker.amazonaws.com', 'runtime.sagemaker.amazonaws.com', 'api.sagemaker.amazonaws.com')
    AND eventtime >= '2026-11-20T00:00:00Z'
  ORDER BY eventtime
)
TO 's3://<results-bucket>/aigov/2026-11-20/'
WITH (format = 'JSON', compression = 'GZIP')
