import { SoraError } from "./sora-error";

/**
 * Thrown by `createSoraClient` or a call when an option is unusable: no API key (neither
 * `apiKey` nor ONEROUTER_API_KEY), a base URL that is not http(s), plain http to a host that is
 * not loopback, a negative timeout. Nothing was sent, so nothing was billed.
 */
export class ConfigurationError extends SoraError {
  override readonly name: string = "ConfigurationError";
  /** The option at fault, as the caller spells it (e.g. "apiKey", "baseUrl"). */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message, { mayHaveBeenAccepted: false });
    this.option = option;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), option: this.option };
  }
}
