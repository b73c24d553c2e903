/**
 * A tiny OCI image made on the spot (one layer holding one text file, tar + gzip, no network)
 * and `skopeo copy` to push it with a docker config.json, exactly as a CI job would push.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const run = promisify(execFile);
const PUSH_TIMEOUT_MS = 60_000;

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

async function writeBlob(layout: string, mediaType: string, content: Buffer): Promise<Descriptor> {
  const hex = createHash('sha256').update(content).digest('hex');
  await writeFile(join(layout, 'blobs', 'sha256', hex), content);
  return { mediaType, digest: `sha256:${hex}`, size: content.length };
}

/** Writes an OCI layout with the image tagged `latest` into `dir/image` and returns its path. */
export async function buildImageLayout(dir: string): Promise<string> {
  const layout = join(dir, 'image');
  const rootfs = join(dir, 'image-rootfs');
  await mkdir(join(layout, 'blobs', 'sha256'), { recursive: true });
  await mkdir(rootfs, { recursive: true });
  await writeFile(join(rootfs, 'hello.txt'), 'hello from the docker-pat sandbox\n');
  const layerTarPath = join(dir, 'layer.tar');
  await run('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-C', rootfs, '-cf', layerTarPath, '.'], { timeout: 10_000 });
  const layerTar = await readFile(layerTarPath);
  const diffId = `sha256:${createHash('sha256').update(layerTar).digest('hex')}`;
  const layer = await writeBlob(layout, 'application/vnd.oci.image.layer.v1.tar+gzip', gzipSync(layerTar));
  const config = await writeBlob(
    layout,
    'application/vnd.oci.image.config.v1+json',
    Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [diffId] } })),
  );
  const manifest = await writeBlob(
    layout,
    'application/vnd.oci.image.manifest.v1+json',
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [layer] })),
  );
  await writeFile(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    join(layout, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }] }),
  );
  return layout;
}

/**
 * Pushes the layout's `latest` to `docker://<destination>`. A refused push rejects with skopeo's
 * own words (e.g. `denied: requested access to the resource is denied`); skopeo prints no secret.
 */
export async function pushLayout(layout: string, destination: string, authfile: string): Promise<void> {
  const args = ['--insecure-policy', 'copy', '--authfile', authfile, '--dest-tls-verify=false', `oci:${layout}:latest`, `docker://${destination}`];
  try {
    await run('skopeo', args, { timeout: PUSH_TIMEOUT_MS });
  } catch (error) {
    const failure = error as { code?: unknown; stderr?: string };
    throw new Error(`skopeo push to ${destination} failed (exit ${String(failure.code)}): ${(failure.stderr ?? '').trim()}`);
  }
}
