-- aigov: Vertex AI and Gemini API calls from Cloud Audit Logs routed to BigQuery (a log sink with the standard
-- cloudaudit_googleapis_com_* tables). Replace the project, dataset and start time. Run and read back:
--   bq query --use_legacy_sql=false --format=json --max_rows=10000000 < bigquery.sql > ai-calls.json
--   aigov logs ai-calls.json
-- Data Access logs (GenerateContent, Predict …) are off by default: enable them for aiplatform.googleapis.com and
-- generativelanguage.googleapis.com in the project's audit configuration.
SELECT timestamp, insertId, logName,
  STRUCT(resource.type AS type, resource.labels AS labels) AS resource,
  STRUCT(
    protopayload_auditlog.serviceName AS serviceName,
    protopayload_auditlog.methodName AS methodName,
    protopayload_auditlog.resourceName AS resourceName,
    protopayload_auditlog.authenticationInfo AS authenticationInfo,
    STRUCT(protopayload_auditlog.requestMetadata.callerIp AS callerIp,
           protopayload_auditlog.requestMetadata.callerSuppliedUserAgent AS callerSuppliedUserAgent) AS requestMetadata,
    protopayload_auditlog.status AS status
  ) AS protopayload_auditlog
FROM (
  SELECT * FROM `<project>.<dataset>.cloudaudit_googleapis_com_data_access`
  UNION ALL
  SELECT * FROM `<project>.<dataset>.cloudaudit_googleapis_com_activity`
)
WHERE protopayload_auditlog.serviceName IN ('aiplatform.googleapis.com', 'generativelanguage.googleapis.com')
  AND timestamp >= TIMESTAMP('2026-11-20 00:00:00 UTC')
ORDER BY timestamp
