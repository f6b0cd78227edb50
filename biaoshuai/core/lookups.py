"""The `subtree` lookup: `unit__path__subtree=path` selects a unit subtree by its path.

Paths hold only digits and "/", so every path in a subtree sorts between the subtree's
path and that path followed by "~". Comparing a range uses the path index on SQLite and
PostgreSQL alike, where LIKE 'prefix%' cannot on SQLite (and a correlated LIKE nowhere).
The right-hand side may be a string or an expression such as OuterRef("path").
"""

from django.db.models import CharField, Lookup

SUBTREE_END = "~"


@CharField.register_lookup
class Subtree(Lookup):
    lookup_name = "subtree"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if self.rhs_is_direct_value():
            return f"({lhs} >= %s AND {lhs} < %s)", [
                *lhs_params,
                self.rhs,
                *lhs_params,
                self.rhs + SUBTREE_END,
            ]
        rhs, rhs_params = self.process_rhs(compiler, connection)
        end = connection.ops.combine_expression("||", [rhs, "%s"])
        if connection.vendor == "mysql":
            end = f"CONCAT({rhs}, %s)"
        return f"({lhs} >= {rhs} AND {lhs} < {end})", [
            *lhs_params,
            *rhs_params,
            *lhs_params,
            *rhs_params,
            SUBTREE_END,
        ]
