/** The message for a Node.js that does not satisfy `range` (`engines.node`), or undefined; see supported-node.js. */
export function unsupportedNode(version: string, range: string): string | undefined;
