import type { Exchange } from '../conformance-check.js';
import type { ConformanceReport } from '../run-conformance.js';

function exchangeJson(exchange: Exchange) {
  const { request, response } = exchange;
  return {
    caller: exchange.caller,
    step: exchange.step,
    request: {
      method: request.method,
      path: request.path,
      headers: request.headers,
      connection: request.connection,
      localAddress: request.localAddress,
      body: request.body,
    },
    response: { status: response.status, headers: response.headers, body: response.text.length > 2000 ? `${response.text.slice(0, 2000)}…` : response.text },
  };
}

/** The machine-readable report: the run's settings, a summary, and each result with its failure's request. */
export function formatJsonReport(report: ConformanceReport): string {
  // The recorded requests of every check are the HTML report's (they would make this one many times larger).
  const results = report.results.map(({ exchanges: _recorded, ...result }) => ({
    ...result,
    durationMs: Math.round(result.durationMs),
    failure: result.failure && { ...result.failure, exchange: result.failure.exchange && exchangeJson(result.failure.exchange) },
  }));
  const { headerNames: _names, ...run } = report;
  return `${JSON.stringify({ ...run, durationMs: Math.round(report.durationMs), results }, null, 2)}\n`;
}
