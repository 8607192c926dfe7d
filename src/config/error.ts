/** A setting that cannot be used. The message is the one line to print; it never shows a secret. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_ERROR' as const;
  /** The flag of the setting, e.g. `--port`. */
  readonly setting: string;
  constructor(message: string, setting: string) {
    super(message);
    this.name = 'ConfigError';
    this.setting = setting;
  }
}
