// What can be checked of the game-day stack without a Docker engine: the compose file parses and agrees
// with the Dockerfile, the doubletap service's scenario validates, Prometheus scrapes the services the
// compose file defines, Grafana mounts the dashboards where the provider looks; promtool accepts the
// shipped config and alert rules, and the rules' own unit tests (input series → alerts) pass.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT, runCli } from '../../helpers/cli';

const DEPLOY = path.join(REPO_ROOT, 'deploy');
const STACK = path.join(DEPLOY, 'game-day');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
// merge: compose files use YAML merge keys (`<<: *anchor`), which YAML 1.2 leaves out by default.
const yamlFile = (file: string): Json => parse(readFileSync(file, 'utf8'), { merge: true }) as Json;

function promtool(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    execFile('promtool', args, { cwd: REPO_ROOT }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') reject(new Error('promtool not found: install Debian\'s prometheus package (scripts/provision.sh)'));
      else resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

/** A `host:container[:ro]` volume of a service, as the host path (relative to the compose file). */
function mounts(service: Json): Map<string, string> {
  return new Map((service.volumes ?? []).map((v: string) => {
    const [host, target] = v.split(':');
    return [target!, host!.startsWith('.') ? path.resolve(STACK, host!) : host!];
  }));
}

describe('game-day stack (compose, Prometheus, Grafana provisioning)', function () {
  this.timeout(60_000);
  const compose = yamlFile(path.join(STACK, 'compose.yaml'));
  const services = compose.services as Record<string, Json>;
  const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');

  it('has the five services, and the doubletap ones build this repository\'s Dockerfile', () => {
    expect(Object.keys(services)).to.have.members(['kafka', 'shop', 'doubletap', 'prometheus', 'grafana']);
    for (const name of ['shop', 'doubletap']) {
      const s = services[name]!;
      expect(path.resolve(STACK, s.build.context), name).to.equal(REPO_ROOT);
      expect(s.build.dockerfile).to.equal('Dockerfile');
      expect(s.image).to.equal(services.doubletap!.image);
    }
    for (const name of ['kafka', 'prometheus', 'grafana']) expect(services[name]!.image, name).to.match(/^[a-z/]+:v?[0-9][\w.-]*$/); // pinned, never :latest
  });

  it('the doubletap service runs a real subcommand on a scenario that validates, with its control API where the HEALTHCHECK looks', async () => {
    expect(dockerfile).to.match(/^ENTRYPOINT \["doubletap"\]$/m);
    const healthz = /DOUBLETAP_HEALTHZ=(\S+)/.exec(dockerfile)![1]!;
    const [cmd, scenarioPath] = services.doubletap!.command as string[];
    expect(cmd).to.equal('run');
    const help = await runCli(['--help']);
    expect(help.stdout).to.match(new RegExp(`^  ${cmd} `, 'm'));
    const hostDir = mounts(services.doubletap!).get(path.posix.dirname(scenarioPath!))!;
    const scenarioFile = path.join(hostDir, path.posix.basename(scenarioPath!));
    // Compose fills `${NAME:-default}` itself: the container sees the default (`:?` ones are required).
    const env = Object.fromEntries(Object.entries(services.doubletap!.environment as Record<string, string>).map(([k, v]) => [
      k, String(v).replace(/\$\{\w+:-([^}]*)\}/g, '$1').replace(/\$\{\w+:\?[^}]*\}/g, 'compose-check'),
    ]));
    const validate = await runCli(['validate', scenarioFile], { env });
    expect(validate.code, validate.stdout + validate.stderr).to.equal(0);
    const scenario = yamlFile(scenarioFile);
    expect(new URL(healthz).port).to.equal(scenario.control.listen.split(':')[1]);
    expect(scenario.control.token).to.equal('env:DOUBLETAP_TOKEN');
  });

  it('the shop service runs the shop the image builds (tsconfig.build covers examples/shop)', () => {
    const entry = services.shop!.entrypoint as string[];
    expect(entry[0]).to.equal('node');
    expect(entry[1]).to.match(/^dist\//);
    expect(dockerfile).to.match(/^COPY --from=build \/app\/dist dist$/m);
    expect(dockerfile).to.match(/^COPY examples\/shop examples\/shop$/m);
    expect(existsSync(path.join(REPO_ROOT, entry[1]!)), `${entry[1]} (npm run build)`).to.equal(true);
    const port = (services.shop!.command as string[])[(services.shop!.command as string[]).indexOf('--port') + 1];
    expect(port).to.equal('8080');
  });

  it('Prometheus scrapes the compose services on their ports, with the shipped rules', () => {
    const prom = services.prometheus!;
    const confDir = mounts(prom).get('/etc/prometheus')!;
    expect(confDir).to.equal(path.join(DEPLOY, 'prometheus'));
    const conf = yamlFile(path.join(confDir, 'prometheus.yml'));
    const targets = conf.scrape_configs.flatMap((j: Json) => j.static_configs.flatMap((s: Json) => s.targets)) as string[];
    expect(targets).to.have.members(['doubletap:7070', 'shop:8080']);
    for (const t of targets) expect(services).to.have.property(t.split(':')[0]!);
    expect(conf.rule_files).to.deep.equal(['doubletap-alerts.yml']);
  });

  it('Grafana mounts the provisioning and the dashboards where the provider reads them', () => {
    const m = mounts(services.grafana!);
    expect(m.get('/etc/grafana/provisioning')).to.equal(path.join(DEPLOY, 'grafana', 'provisioning'));
    const provider = yamlFile(path.join(DEPLOY, 'grafana/provisioning/dashboards/doubletap.yml')).providers[0];
    expect(m.get(provider.options.path)).to.equal(path.join(REPO_ROOT, 'dashboards'));
    const ds = yamlFile(path.join(DEPLOY, 'grafana/provisioning/datasources/doubletap.yml')).datasources[0];
    expect(ds.type).to.equal('prometheus');
    expect(new URL(ds.url).hostname).to.equal('prometheus');
    const home = services.grafana!.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH as string;
    expect(existsSync(path.join(REPO_ROOT, 'dashboards', path.basename(home)))).to.equal(true);
  });

  it('promtool check config accepts the scrape config (with the token file the docs tell you to create)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dt-promcfg-'));
    cpSync(path.join(DEPLOY, 'prometheus'), dir, { recursive: true });
    writeFileSync(path.join(dir, 'doubletap.token'), 'compose-check');
    const r = await promtool(['check', 'config', path.join(dir, 'prometheus.yml')]);
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.match(/SUCCESS: 5 rules found/);
  });

  it('promtool check rules and the rules\' unit tests pass', async () => {
    const check = await promtool(['check', 'rules', path.join(DEPLOY, 'prometheus/doubletap-alerts.yml')]);
    expect(check.code, check.out).to.equal(0);
    const test = await promtool(['test', 'rules', path.join(REPO_ROOT, 'test/fixtures/prometheus/doubletap-alerts.test.yml')]);
    expect(test.code, test.out).to.equal(0);
    expect(test.out).to.include('SUCCESS');
  });
});
