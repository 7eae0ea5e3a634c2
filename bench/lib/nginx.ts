// nginx from Debian as the native reference: a temp prefix, one worker, upstream keep-alive,
// run as a non-daemon child so its processes are ours to measure and stop.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, type Child } from './proc';
import { freePort } from './ports';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

export async function startNginx(upstreamUrl: string): Promise<Child> {
  if (!NGINX) throw new Error('nginx is not installed');
  const prefix = mkdtempSync(join(tmpdir(), 'doubletap-bench-nginx-'));
  mkdirSync(join(prefix, 'logs'));
  const port = await freePort();
  const up = new URL(upstreamUrl);
  const conf = `worker_processes 1;
daemon off;
master_process on;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  upstream app { server ${up.hostname}:${up.port}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    keepalive_requests 1000000;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
  const file = join(prefix, 'nginx.conf');
  writeFileSync(file, conf);
  // nginx prints nothing when ready: poll its port instead.
  const child = await startProcess(NGINX, ['-p', prefix, '-c', file, '-e', `${prefix}/logs/error.log`], false, `http://127.0.0.1:${port}`);
  try {
    await waitForPort(port);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return child;
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' });
      await r.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`nginx did not listen on ${port}`);
}
