"""A layered auto-layout for model graphs: data flows from the top to the bottom.

Positions are node *centres* in scene units, the convention of
:attr:`tflab.graph.ModelGraph.positions` in the graph view. Every node goes into a
row by its depth (model inputs and calls without inputs in row 0, every other call
one row below the deepest node it consumes); inside a row, nodes are ordered and
placed near the mean x of the nodes they consume, so a plain chain is a straight
column and branches spread left and right.

The functions are pure: they read the graph and return new positions; the caller
stores them through an undoable edit (or only shows them). The importer lays out an
imported model with :func:`auto_layout`, the graph view's Auto-layout is the same.
"""

from __future__ import annotations

from tflab.graph import GraphError, ModelGraph

#: Horizontal distance between the centres of two nodes in one row.
COLUMN_WIDTH = 270.0
#: Vertical distance between the centres of two rows.
ROW_HEIGHT = 140.0

Point = tuple[float, float]


def _depths(graph: ModelGraph) -> dict[str, int]:
    """Row of every node: 0 for sources, else one below its deepest input."""
    depth = {node.id: 0 for node in graph.inputs}
    try:
        order = graph.topological_calls()
    except GraphError:  # a cycle cannot be laid out in layers; keep file order
        order = list(graph.calls)
    for call_id in order:
        parents = [depth[ref.node] for ref in graph.calls[call_id].inputs if ref.node in depth]
        depth[call_id] = 1 + max(parents) if parents else 0
    return depth


def _spread(desired: list[float], spacing: float) -> list[float]:
    """Positions as close as possible to the sorted ``desired`` ones, ``spacing`` apart,
    with the same mean (so the row stays under the nodes it consumes)."""
    placed: list[float] = []
    for x in desired:
        placed.append(x if not placed else max(x, placed[-1] + spacing))
    shift = (sum(desired) - sum(placed)) / len(placed)
    return [x + shift for x in placed]


def auto_layout(graph: ModelGraph, column_width: float = COLUMN_WIDTH,
                row_height: float = ROW_HEIGHT) -> dict[str, Point]:
    """Positions for every node of ``graph``, laid out in rows from top to bottom."""
    depth = _depths(graph)
    rows: dict[int, list[str]] = {}
    for node_id in graph.node_ids():
        rows.setdefault(depth[node_id], []).append(node_id)
    positions: dict[str, Point] = {}
    for row in sorted(rows):
        members = rows[row]
        desired: dict[str, float] = {}
        for rank, node_id in enumerate(members):
            call = graph.calls.get(node_id)
            parents = [positions[r.node][0] for r in (call.inputs if call else []) if r.node in positions]
            centre = (rank - (len(members) - 1) / 2) * column_width
            desired[node_id] = sum(parents) / len(parents) if parents else centre
        ordered = sorted(members, key=lambda n: desired[n])  # stable: ties keep graph order
        xs = _spread([desired[n] for n in ordered], column_width)
        for node_id, x in zip(ordered, xs):
            positions[node_id] = (x, row * row_height)
    return positions


def _overlaps(point: Point, taken: list[Point], column_width: float, row_height: float) -> bool:
    return any(abs(point[0] - x) < column_width * 0.9 and abs(point[1] - y) < row_height * 0.9
               for x, y in taken)


def free_spot(point: Point, taken: list[Point], column_width: float = COLUMN_WIDTH,
              row_height: float = ROW_HEIGHT) -> Point:
    """``point``, or the first place to its right (a column at a time) clear of ``taken``."""
    x, y = point
    while _overlaps((x, y), taken, column_width, row_height):
        x += column_width
    return (x, y)


def place_missing(graph: ModelGraph, positions: dict[str, Point],
                  column_width: float = COLUMN_WIDTH,
                  row_height: float = ROW_HEIGHT) -> dict[str, Point]:
    """Positions for the nodes of ``graph`` that ``positions`` lacks (the others stay).

    A node goes one row below the lowest node it consumes, at their mean x; a node
    with no placed input goes to the right of everything, in the top row. Each is then
    moved right until it overlaps no other node. Returns only the new positions; with
    no positions at all this is :func:`auto_layout`.
    """
    known = {n: p for n, p in positions.items() if graph.has_node(n)}
    if not known:
        return auto_layout(graph, column_width, row_height)
    taken = list(known.values())
    placed: dict[str, Point] = {}
    depth = _depths(graph)
    top = min(y for _, y in taken)
    for node_id in sorted(graph.node_ids(), key=lambda n: depth[n]):
        if node_id in known:
            continue
        call = graph.calls.get(node_id)
        parents = [known.get(r.node) or placed.get(r.node) for r in (call.inputs if call else [])]
        parents = [p for p in parents if p is not None]
        if parents:
            x = sum(p[0] for p in parents) / len(parents)
            y = max(p[1] for p in parents) + row_height
        else:
            x = max(px for px, _ in taken) + column_width
            y = top
        placed[node_id] = free_spot((x, y), taken, column_width, row_height)
        taken.append(placed[node_id])
    return placed
