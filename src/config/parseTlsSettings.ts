// Pure: a model's TLS settings, `caFile` and `allowInsecureTls`, validated with clear problems.
import { isAbsolute } from 'node:path';
import { isIP } from 'node:net';
import { bareHost, isPrivateAddress } from '../broker';
import type { ModelSettings, Report } from './settingsTypes';

/** `caFile` and `allowInsecureTls`: a usable path, and a warning whenever certificate checks are off. */
export function parseTls(value: Record<string, unknown>, m: ModelSettings, path: string, problem: Report, describe: (v: unknown) => string): void {
  const caFile = value.caFile;
  if (caFile !== undefined && caFile !== null && caFile !== '') {
    if (typeof caFile !== 'string' || !(isAbsolute(caFile.trim()) || caFile.trim().startsWith('~/'))) {
      problem('error', `${path}.caFile`, `must be the absolute path of a PEM file (or start with ~/), but is ${describe(caFile)}`,
        'For example "/etc/ssl/certs/company-ca.pem"; until then the system CAs are used.');
    } else {
      m.caFile = caFile.trim();
    }
  }
  const insecure = value.allowInsecureTls;
  if (insecure === undefined || insecure === null || insecure === false) return;
  if (insecure !== true) {
    problem('error', `${path}.allowInsecureTls`, `must be true or false, but is ${describe(insecure)}`, 'Certificates are checked meanwhile.');
    return;
  }
  let host = '';
  try {
    host = bareHost(new URL(m.endpoint).hostname);
  } catch {
    // the endpoint was validated before
  }
  if (isIP(host) !== 0 && !isPrivateAddress(host)) {
    problem('warning', `${path}.allowInsecureTls`, `is ignored: ${host} is a public address, and certificate checks can be skipped only for loopback and private addresses`,
      'Set caFile to the CA that signed the server\'s certificate.');
    return;
  }
  m.allowInsecureTls = true;
  problem('warning', `${path}.allowInsecureTls`, `certificate checks are off for "${m.id}" (honoured only while ${host || 'the endpoint'} is a loopback or private address)`,
    'Prefer caFile with the CA that signed the server\'s certificate; remove allowInsecureTls when you can.');
}

