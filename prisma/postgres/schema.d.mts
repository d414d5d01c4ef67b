export function postgresSchemaOf(sqliteSchema: string, output?: string): string;
export function writePostgresSchema(repoRoot: string): string;
