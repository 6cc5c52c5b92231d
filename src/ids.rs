//! Typed identities and the tables keyed by them. A page, a chart or a
//! deleted page is named by its own kind of id, so a chart number can
//! never index the pages, and everything the site knows per page is a
//! [`Table`] keyed by [`PageId`] rather than a `Vec` read by a bare number.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

/// An id: a row number of one kind of table.
pub trait Id: Copy + Ord + Send + Sync {
    fn from_row(row: usize) -> Self;
    fn row(self) -> usize;
}

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u32);

        impl Id for $name {
            fn from_row(row: usize) -> Self {
                Self(u32::try_from(row).expect("fewer than 2^32 rows"))
            }
            fn row(self) -> usize {
                self.0 as usize
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    )*};
}

ids! {
    /// A current page of the site.
    PageId,
    /// An organisation chart: the bodies written on one page.
    ChartId,
    /// A page whose file was deleted, kept for its history.
    GoneId,
}

/// One value per id of kind `K`, in the order the ids were given out.
pub struct Table<K, T> {
    rows: Vec<T>,
    kind: PhantomData<fn(K) -> K>,
}

pub type PageTable<T> = Table<PageId, T>;

impl<K: Id, T> Table<K, T> {
    pub fn new() -> Self {
        Self::from(Vec::new())
    }

    pub fn with_capacity(capacity: usize) -> Self {
        Self::from(Vec::with_capacity(capacity))
    }

    /// A table of `len` rows made by `row` from each id.
    pub fn from_fn(len: usize, row: impl FnMut(K) -> T) -> Self {
        (0..len).map(K::from_row).map(row).collect()
    }

    /// Adds a row and gives its id.
    pub fn push(&mut self, value: T) -> K {
        self.rows.push(value);
        K::from_row(self.rows.len() - 1)
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn get(&self, id: K) -> Option<&T> {
        self.rows.get(id.row())
    }

    pub fn ids(&self) -> impl DoubleEndedIterator<Item = K> + ExactSizeIterator + use<K, T> {
        (0..self.rows.len()).map(K::from_row)
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.rows.iter()
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.rows.iter_mut()
    }

    /// Every row with its id.
    pub fn enumerate(&self) -> impl DoubleEndedIterator<Item = (K, &T)> + ExactSizeIterator {
        self.rows
            .iter()
            .enumerate()
            .map(|(row, v)| (K::from_row(row), v))
    }

    pub fn as_slice(&self) -> &[T] {
        &self.rows
    }

    pub fn into_rows(self) -> Vec<T> {
        self.rows
    }
}

impl<K: Id, T: Sync> Table<K, T> {
    pub fn par_iter(&self) -> rayon::slice::Iter<'_, T> {
        use rayon::prelude::*;
        self.rows.par_iter()
    }

    /// Every row with its id, on all cores.
    pub fn par_enumerate(&self) -> impl rayon::iter::IndexedParallelIterator<Item = (K, &T)> {
        use rayon::prelude::*;
        self.rows
            .par_iter()
            .enumerate()
            .map(|(row, v)| (K::from_row(row), v))
    }
}

impl<K: Id, T: Send> Table<K, T> {
    pub fn par_iter_mut(&mut self) -> rayon::slice::IterMut<'_, T> {
        use rayon::prelude::*;
        self.rows.par_iter_mut()
    }

    /// Every row with its id, taken out, on all cores.
    pub fn into_par_enumerate(self) -> impl rayon::iter::IndexedParallelIterator<Item = (K, T)> {
        use rayon::prelude::*;
        self.rows
            .into_par_iter()
            .enumerate()
            .map(|(row, v)| (K::from_row(row), v))
    }
}

impl<K, T> From<Vec<T>> for Table<K, T> {
    fn from(rows: Vec<T>) -> Self {
        Self {
            rows,
            kind: PhantomData,
        }
    }
}

impl<K, T> FromIterator<T> for Table<K, T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Self::from(iter.into_iter().collect::<Vec<T>>())
    }
}

impl<K, T> Extend<T> for Table<K, T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        self.rows.extend(iter);
    }
}

impl<K, T> IntoIterator for Table<K, T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.rows.into_iter()
    }
}

impl<'a, K, T> IntoIterator for &'a Table<K, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.rows.iter()
    }
}

impl<'a, K, T> IntoIterator for &'a mut Table<K, T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.rows.iter_mut()
    }
}

impl<K: Id, T> Index<K> for Table<K, T> {
    type Output = T;
    fn index(&self, id: K) -> &T {
        &self.rows[id.row()]
    }
}

impl<K: Id, T> IndexMut<K> for Table<K, T> {
    fn index_mut(&mut self, id: K) -> &mut T {
        &mut self.rows[id.row()]
    }
}

impl<K, T> Default for Table<K, T> {
    fn default() -> Self {
        Self::from(Vec::new())
    }
}

impl<K, T: Clone> Clone for Table<K, T> {
    fn clone(&self) -> Self {
        Self::from(self.rows.clone())
    }
}

impl<K, T: fmt::Debug> fmt::Debug for Table<K, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.rows).finish()
    }
}

impl<K, T: PartialEq> PartialEq for Table<K, T> {
    fn eq(&self, other: &Self) -> bool {
        self.rows == other.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_name_the_rows_they_were_given_for() {
        let mut table: PageTable<&str> = Table::new();
        let a = table.push("a");
        let b = table.push("b");
        assert_eq!((table[a], table[b]), ("a", "b"));
        assert_eq!(table.ids().collect::<Vec<_>>(), vec![a, b]);
        assert_eq!(format!("{b:?}"), "PageId(1)");
        let doubled: PageTable<String> = Table::from_fn(2, |id| table[id].repeat(2));
        assert_eq!(doubled.as_slice(), ["aa", "bb"]);
    }
}
