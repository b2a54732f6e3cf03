/** The database handle type, apart from open.ts so migrate.ts (which open.ts calls) can name it without a loop. */
import type Database from 'better-sqlite3';

export type DB = Database.Database;
