/**
 * Measurement 4b: the size of every file in dist/, and per bundle (each folder: main, post, cli)
 * the JavaScript Node may load for it: the entry plus its lazily loaded chunks.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const BUNDLE_LIMIT_BYTES = 1_000_000;

export interface FileSize {
  path: string;
  bytes: number;
}

export interface BundleSize {
  name: string;
  /** The entry file alone (what every run loads). */
  entryBytes: number;
  /** Entry plus chunks: every .js/.cjs file of the bundle. */
  javascriptBytes: number;
}

export interface BundleSizes {
  files: FileSize[];
  bundles: BundleSize[];
}

function filesUnder(root: string, dir: string): FileSize[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(root, path);
    return entry.isFile() ? [{ path: relative(root, path), bytes: statSync(path).size }] : [];
  });
}

const isJavaScript = (path: string): boolean => /\.c?js$/.test(path);

export function measureBundleSizes(projectRoot: string, distDir = 'dist'): BundleSizes {
  const files = filesUnder(projectRoot, join(projectRoot, distDir)).sort((a, b) => a.path.localeCompare(b.path));
  const bundleNames = [...new Set(files.map((file) => file.path.split('/')).filter((parts) => parts.length > 2).map((parts) => parts[1] as string))];
  const bundles = bundleNames.map((name) => {
    const own = files.filter((file) => file.path.startsWith(`${distDir}/${name}/`));
    return {
      name,
      entryBytes: own.find((file) => file.path === `${distDir}/${name}/index.js`)?.bytes ?? 0,
      javascriptBytes: own.filter((file) => isJavaScript(file.path)).reduce((sum, file) => sum + file.bytes, 0),
    };
  });
  return { files, bundles };
}
