/** Copies the project at `root` into `destination`, as a fresh clone of the working tree. */
export declare function copyProject(root: string, destination: string): void;
