/** Whether `distDir` holds a bundle of the current sources; see bundle-freshness.js. */
export function bundleIsFresh(distDir: string): boolean;
