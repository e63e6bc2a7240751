"""`make bench`: the product's speed against stock Django doing the same job, on a throwaway database."""
