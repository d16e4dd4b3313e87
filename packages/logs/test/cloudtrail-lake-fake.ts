import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A CloudTrail endpoint (awsJson1_1) that records the SQL and answers like Lake: QUEUED, then FINISHED rows in two pages. */
export async function fakeLake(
  rows: unknown[][],
): Promise<{ url: string; statements: string[]; targets: string[]; close(): Promise<void> }> {
  const statements: string[] = [];
  const targets: string[] = [];
  let polls = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const target = String(request.headers["x-amz-target"]);
      targets.push(target);
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, string>;
      response.setHeader("content-type", "application/x-amz-json-1.1");
      if (target === "CloudTrail_20131101.StartQuery") {
        statements.push(body.QueryStatement ?? "");
        response.end(JSON.stringify({ QueryId: "q-1" }));
        return;
      }
      if (target === "CloudTrail_20131101.GetQueryResults") {
        polls += 1;
        if (polls === 1) {
          response.end(
            JSON.stringify({
              QueryStatus: "QUEUED",
              QueryStatistics: { ResultsCount: 0, TotalResultsCount: 0, BytesScanned: 0 },
            }),
          );
          return;
        }
        const half = Math.ceil(rows.length / 2);
        const first = body.NextToken === undefined;
        response.end(
          JSON.stringify({
            QueryStatus: "FINISHED",
            QueryStatistics: {
              ResultsCount: first ? half : rows.length - half,
              TotalResultsCount: rows.length,
              BytesScanned: 81920,
            },
            QueryResultRows: first ? rows.slice(0, half) : rows.slice(half),
            ...(first ? { NextToken: "page-2" } : {}),
          }),
        );
        return;
      }
      response.statusCode = 400;
      response.end(JSON.stringify({ __type: "UnknownOperationException", message: target }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    statements,
    targets,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
