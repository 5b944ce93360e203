// The images of the emulated instance, which replication policies copy: namespaces, repositories
// and tags with digests. Seeded deterministically, or given. A policy's filters select from it
// the way Harbor does: a `name` pattern matches `namespace/repository`, a `tag` pattern the tag,
// with doublestar globs (`*` within a path segment, `**` across) and `{a,b}` alternatives,
// matched by picomatch rather than by a matcher of our own.
import picomatch from 'picomatch';
import { createHash } from 'node:crypto';

/** One repository of the catalogue, with its tags. */
export interface CatalogueRepository {
  namespace: string;
  repository: string;
  tags: ReadonlyArray<{ tag: string; digest: string }>;
}

/** A policy filter: a pattern for names or for tags. */
export interface CatalogueFilter {
  type: string;
  value: string;
}

const NAMESPACES = ['library', 'team-a', 'team-b', 'mirror'];
const REPOSITORIES = ['nginx', 'redis', 'api', 'web', 'worker', 'postgres'];
const TAGS = ['1.0', '1.1', '2.0', 'latest', 'v1.2.3', 'nightly'];

/** A digest for a tag, stable run to run. */
const digestOf = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** A seeded catalogue: `repositories` repositories over a few namespaces, each with a few tags. */
export function seedCatalogue(repositories = 12): CatalogueRepository[] {
  return Array.from({ length: repositories }, (_, i) => {
    const namespace = NAMESPACES[i % NAMESPACES.length]!;
    const repository = `${REPOSITORIES[i % REPOSITORIES.length]}${i >= REPOSITORIES.length ? `-${i}` : ''}`;
    const tags = TAGS.slice(0, 2 + (i % (TAGS.length - 1))).map((tag) => ({
      tag,
      digest: digestOf(`${namespace}/${repository}:${tag}`),
    }));
    return { namespace, repository, tags };
  });
}

/** The repositories and tags a policy's filters select (every one, without filters). */
export function select(
  catalogue: readonly CatalogueRepository[],
  filters: readonly CatalogueFilter[],
): Array<{ namespace: string; repository: string; tags: Array<{ tag: string; digest: string }> }> {
  const test = (type: string) => {
    const patterns = filters.filter((f) => f.type === type).map((f) => f.value);
    return patterns.length === 0 ? () => true : picomatch(patterns);
  };
  const [name, tag] = [test('name'), test('tag')];
  return catalogue
    .filter((r) => name(`${r.namespace}/${r.repository}`))
    .map((r) => ({ ...r, tags: r.tags.filter((t) => tag(t.tag)) }))
    .filter((r) => r.tags.length > 0);
}
