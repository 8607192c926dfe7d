/**
 * GraphiQL's fetcher, replaced. yoga's own parses each operation in the page before sending it, so
 * running an empty tab (or one holding only comments) showed GraphiQL's rendering of the thrown
 * GraphQLError: a JavaScript stack trace. This one sends operations as they are and lets the
 * gateway answer, with a plain message for a tab that holds no operation at all:
 *
 * - subscriptions: a POST that accepts `text/event-stream` (GraphQL over SSE, as yoga's fetcher
 *   with `subscriptionsProtocol: 'SSE'` sent them), read as an async iterable;
 * - everything else: a JSON POST.
 *
 * It is browser code, kept as text: `graphiql-cache.ts` puts it in the page just before GraphiQL
 * renders, and passes it as GraphiQL's `fetcher`. The Chromium test (test/e2e/graphiql.test.ts)
 * runs it: queries, the docs explorer's introspection, a subscription, and an empty tab.
 */

/** The message a tab with no operation gets. */
export const EMPTY_TAB_MESSAGE =
  'This tab holds no operation: write one, or open one of the ready tabs (DeploymentsPage, VmVitals, Deploy, TaskEvents).';

const FETCHER = String.raw`
(function createBoshGraphiQLFetcher(endpoint, emptyMessage) {
  function withoutComments(query) {
    return query.replace(/"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|#[^\n\r]*/g, function (match) {
      return match.charAt(0) === '#' ? ' ' : '""';
    });
  }
  // The operation GraphiQL means: the one named operationName, else the only one. GraphiQL can
  // still hold the name of the operation the editor had before it was replaced.
  function operationOf(query, operationName) {
    var text = withoutComments(query);
    var pattern = /(?:^|\})\s*(query|mutation|subscription)\b\s*([_A-Za-z][_0-9A-Za-z]*)?/g;
    var found = [];
    var match;
    while ((match = pattern.exec(text))) found.push({ kind: match[1], name: match[2] });
    var named = found.filter(function (op) { return operationName && op.name === operationName; })[0];
    if (named) return named;
    return { kind: found.length > 0 ? found[0].kind : 'query', name: undefined };
  }
  async function* events(response, controller) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = '';
    try {
      for (;;) {
        var chunk = await reader.read();
        if (chunk.done) return;
        buffer += decoder.decode(chunk.value, { stream: true });
        var end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          var block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          var event = (/^event: ?(.*)$/m.exec(block) || [])[1] || 'message';
          var data = block.split('\n').filter(function (line) { return line.indexOf('data:') === 0; })
            .map(function (line) { return line.slice(5).replace(/^ /, ''); }).join('\n');
          if (event === 'complete') return;
          if (data) yield JSON.parse(data);
        }
      }
    } finally {
      controller.abort();
    }
  }
  return function fetcher(params, options) {
    if (withoutComments(params.query || '').trim() === '') {
      return Promise.resolve({ errors: [{ message: emptyMessage }] });
    }
    var operation = operationOf(params.query, params.operationName);
    var subscription = operation.kind === 'subscription';
    var headers = Object.assign({}, (options && options.headers) || {}, {
      'content-type': 'application/json',
      accept: subscription ? 'text/event-stream' : 'application/graphql-response+json, application/json',
    });
    var controller = new AbortController();
    var request = fetch(endpoint, {
      method: 'POST',
      headers: headers,
      credentials: 'same-origin',
      body: JSON.stringify({ query: params.query, operationName: operation.name, variables: params.variables }),
      signal: controller.signal,
    });
    if (!subscription) return request.then(function (response) { return response.json(); });
    return (async function* () {
      var response = await request;
      if ((response.headers.get('content-type') || '').indexOf('text/event-stream') === -1) {
        yield await response.json();
        return;
      }
      yield* events(response, controller);
    })();
  };
})`;

/**
 * The page's script, changed so GraphiQL renders with this fetcher. The page is yoga's, rendered
 * once per process; when its render call is not where it was, the page is left as it is.
 */
export function withGatewayFetcher(html: string, endpoint: string): string {
  const call = 'YogaGraphiQL.renderYogaGraphiQL(';
  const at = html.lastIndexOf(call);
  if (at === -1) return html;
  const wrap = `YogaGraphiQL.renderYogaGraphiQL = (function (render, fetcher) {
  return function (root, options) { return render(root, Object.assign({}, options, { fetcher: fetcher })); };
})(YogaGraphiQL.renderYogaGraphiQL, ${FETCHER}(${JSON.stringify(endpoint)}, ${JSON.stringify(EMPTY_TAB_MESSAGE)}));
`;
  return html.slice(0, at) + wrap + html.slice(at);
}
