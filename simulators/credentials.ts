/**
 * `--credentials FILE` of the simulator CLIs: how they log in to a broker that checks credentials (the
 * embedded one always does). The file is JSON, one of:
 *   {"username": "...", "password": "..."}            one credential for every connection (the gateway:
 *                                                        DATA_DIR/mqtt-gateway.json of a running server)
 *   [{"username": "<device id>", "password": "..."}]   per device (`npm run devices -- credentials ID`);
 *                                                        a device without an entry connects without one
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const credential = z.object({ username: z.string().min(1).max(256), password: z.string().min(1).max(1024) }).strict();
export const credentialsFileSchema = z.union([credential, z.array(credential).max(1_000_000)]);
export type MqttCredentials = z.infer<typeof credential>;
export type CredentialsFile = z.infer<typeof credentialsFileSchema>;

export async function loadCredentials(file: string): Promise<CredentialsFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`--credentials ${file}: ${(err as Error).message}`, { cause: err });
  }
  const r = credentialsFileSchema.safeParse(json);
  if (!r.success) throw new Error(`--credentials ${file}: expected {"username","password"} or a list of them (${r.error.issues[0]!.message})`);
  return r.data;
}

/** The credential a device connects with: the one of the file, or its own entry in a list. */
export function credentialsFor(file: CredentialsFile | undefined, deviceId: string | null): MqttCredentials | undefined {
  if (!file) return undefined;
  if (!Array.isArray(file)) return file;
  return deviceId === null ? undefined : file.find((c) => c.username === deviceId);
}
