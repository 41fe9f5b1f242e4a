// Types of the set-up helpers for the TypeScript that imports them (test/global-setup.ts).
export declare const root: string;
export declare function log(message: string): void;
export declare function run(command: string, args: string[], options?: object): number;
export declare function ensureNpmDependencies(): void;
export declare function build(): void;
export declare function buildIfStale(): void;
export declare function buildIsStale(): boolean;
export declare function ensureDebianPackages(packages: ReadonlyArray<{ command: string; pkg: string }>): void;
export declare function ensureNode24(): string;
