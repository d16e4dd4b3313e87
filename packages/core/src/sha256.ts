/**
 * SHA-256 of a text (UTF-8), as lowercase hex. node:crypto is looked up when something is first hashed, not
 * imported: loading it costs a fresh process some 15 ms, and a gate whose plan has nothing to report never hashes.
 */
export function sha256Hex(text: string): string {
  return process.getBuiltinModule("node:crypto").hash("sha256", text, "hex");
}
