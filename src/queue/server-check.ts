/** The part of an ioredis client the check uses. */
interface ConfigReader {
  config(subcommand: "GET", parameter: string): Promise<unknown>;
}

async function read(redis: ConfigReader, parameter: string): Promise<string | undefined> {
  const reply = await redis.config("GET", parameter);
  return Array.isArray(reply) && reply.length >= 2 ? String(reply[1]) : undefined;
}

/**
 * What is unsafe about a Redis server for the money rule, one sentence each: a server that
 * evicts keys (maxmemory-policy other than noeviction) can drop a job's `submitted` record, and
 * one without persistence (appendonly no and no save points) loses every job on restart; both can
 * make a paid job run again. `appendfsync` other than always can lose the last second of records.
 * Empty when the server is set up as the README says. A server that refuses CONFIG GET (some
 * managed services) gets one warning saying so.
 */
export async function durabilityWarnings(redis: ConfigReader): Promise<string[]> {
  let policy: string | undefined;
  let appendonly: string | undefined;
  let fsync: string | undefined;
  let save: string | undefined;
  try {
    const names = ["maxmemory-policy", "appendonly", "appendfsync", "save"];
    [policy, appendonly, fsync, save] = await Promise.all(names.map((name) => read(redis, name)));
  } catch (error) {
    const why = (error as Error).message;
    return [`could not read the Redis server's settings (${why}); check maxmemory-policy noeviction, appendonly yes`];
  }
  const warnings: string[] = [];
  if (policy !== undefined && policy !== "noeviction") {
    warnings.push(
      `the Redis server evicts keys (maxmemory-policy ${policy}): a job's records can vanish ` +
        "and a paid job run again; set maxmemory-policy noeviction",
    );
  }
  if (appendonly === "no" && (save ?? "").trim() === "") {
    warnings.push(
      "the Redis server has persistence off (appendonly no, no save points): a restart loses every job's state; " +
        "set appendonly yes and appendfsync always",
    );
  } else if (appendonly === "yes" && fsync !== undefined && fsync !== "always") {
    warnings.push(
      `the Redis server syncs its log with appendfsync ${fsync}: a crash can lose the last records ` +
        "(a job sent but not yet marked submitted could run again); set appendfsync always",
    );
  }
  return warnings;
}
