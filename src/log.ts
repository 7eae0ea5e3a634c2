// winston JSON lines on stderr; stdout stays for human output and for `listening on …` lines.
import winston from 'winston';

export type Logger = winston.Logger;

export function createLogger(level = process.env.DOUBLETAP_LOG_LEVEL ?? 'info'): Logger {
  return winston.createLogger({
    level,
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Console({ stderrLevels: Object.keys(winston.config.npm.levels) })],
  });
}

/** A logger that drops everything: for tests and library use. */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console()] });
}
