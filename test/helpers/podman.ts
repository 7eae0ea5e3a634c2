// Podman for the container tests (no Docker engine on these machines; shared notes "Containers").
// crun refuses the hybrid cgroups here, so every call goes through runc. A missing podman or base
// image FAILS the test with the command that provisions it (never a skip).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { REPO_ROOT } from './cli';

export const NODE_BASE_IMAGE = 'localhost/node:20-bookworm-slim';
export const TEST_IMAGE = 'localhost/doubletap:test';

export interface PodmanResult { code: number; stdout: string; stderr: string }

export function podman(args: string[], timeoutMs = 60_000): Promise<PodmanResult> {
  return new Promise((resolve, reject) => {
    execFile('podman', ['--runtime', 'runc', ...args], { cwd: REPO_ROOT, timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error('podman is not installed: run scripts/provision.sh (it installs podman and makes the base images)'));
        return;
      }
      if (err && err.killed) {
        reject(new Error(`podman ${args.join(' ')} timed out after ${timeoutMs} ms\n${stderr.slice(-2000)}`));
        return;
      }
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Like podman(), but a non-zero exit throws with podman's own words. */
export async function podmanOk(args: string[], timeoutMs?: number): Promise<string> {
  const r = await podman(args, timeoutMs);
  if (r.code !== 0) throw new Error(`podman ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(-3000)}`);
  return r.stdout;
}

/** Builds the repository's Dockerfile on the local Node base; the layer cache makes a rebuild quick. */
export async function buildTestImage(): Promise<void> {
  const base = await podman(['image', 'exists', NODE_BASE_IMAGE]);
  if (base.code !== 0) throw new Error(`${NODE_BASE_IMAGE} is missing: run scripts/provision.sh (scripts/provision-containers.sh makes it)`);
  const npmrc = (await new Promise<string>((resolve, reject) =>
    execFile('npm', ['config', 'get', 'globalconfig'], (err, out) => (err ? reject(err) : resolve(out.trim())))));
  // npm inside the build trusts this machine's CA bundle and uses its npm config (build-time only).
  const volumes = ['-v', '/etc/ssl/certs:/etc/ssl/certs:ro', ...(existsSync(npmrc) ? ['-v', `${npmrc}:/usr/local/etc/npmrc:ro`] : [])];
  await podmanOk([
    'build', '--format', 'docker', '--network', 'host', '--layers',
    '--build-arg', `NODE_IMAGE=${NODE_BASE_IMAGE}`, ...volumes, '-t', TEST_IMAGE, '.',
  ], 15 * 60_000);
}
