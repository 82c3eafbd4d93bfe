//! `Region`: where a request is sent, as the `X-TC-Region` header names it.
//!
//! The named regions are the sixteen of the TRTC API's request-structure page (<https://trtc.io/document/34262>)
//! and ap-mumbai, which the TRTC "End Calls" guide names for DismissRoom. Which of them an action is offered in
//! is the action's business ([`Action::REGIONS`](crate::Action::REGIONS)).

use std::fmt;
use std::str::FromStr;

macro_rules! regions {
    ($( $variant:ident => $name:literal, )*) => {
        /// A Tencent Cloud region where the TRTC API is served, e.g. `ap-guangzhou`.
        ///
        /// Parsed from the lower-case form the API uses. Regions this version does not list parse as
        /// [`Region::Other`], so a new region never blocks a caller.
        ///
        /// ```
        /// use trtc_model::Region;
        ///
        /// let region: Region = "ap-guangzhou".parse()?;
        /// assert_eq!(region, Region::ApGuangzhou);
        /// assert_eq!(region.as_str(), "ap-guangzhou");
        /// assert_eq!("eu-moon".parse::<Region>()?, Region::Other("eu-moon".into()));
        /// # Ok::<(), trtc_model::Error>(())
        /// ```
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Region {
            $( #[doc = $name] $variant, )*
            /// A region this version does not list, kept as given.
            Other(String),
        }

        impl Region {
            /// The region's name, e.g. `ap-guangzhou`.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Region::$variant => $name, )*
                    Region::Other(name) => name,
                }
            }

            /// The regions this version lists.
            pub const KNOWN: &'static [Region] = &[ $( Region::$variant, )* ];

            fn known(name: &str) -> Option<Region> {
                match name {
                    $( $name => Some(Region::$variant), )*
                    _ => None,
                }
            }
        }
    };
}

regions! {
    ApBangkok => "ap-bangkok",
    ApBeijing => "ap-beijing",
    ApChengdu => "ap-chengdu",
    ApChongqing => "ap-chongqing",
    ApGuangzhou => "ap-guangzhou",
    ApHongkong => "ap-hongkong",
    ApJakarta => "ap-jakarta",
    ApMumbai => "ap-mumbai",
    ApNanjing => "ap-nanjing",
    ApSeoul => "ap-seoul",
    ApShanghai => "ap-shanghai",
    ApSingapore => "ap-singapore",
    ApTokyo => "ap-tokyo",
    EuFrankfurt => "eu-frankfurt",
    NaAshburn => "na-ashburn",
    NaSiliconvalley => "na-siliconvalley",
    NaToronto => "na-toronto",
    SaSaopaulo => "sa-saopaulo",
}

impl FromStr for Region {
    type Err = crate::Error;

    /// Parses `ap-guangzhou`; refuses what cannot be a region name (empty, upper case, spaces, control characters).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(region) = Region::known(s) {
            return Ok(region);
        }
        let well_formed = !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !well_formed {
            return Err(crate::Error::invalid(
                "Region",
                format!("{s:?} is not a region name: use the lower-case form such as \"ap-guangzhou\""),
            ));
        }
        Ok(Region::Other(s.to_owned()))
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
